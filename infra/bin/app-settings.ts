/**
 * The app's settings from CDK context (cdk.json defaults, `-c key=value` overrides), validated
 * with a clear message naming the key. Nothing here looks up an account or region.
 */
import * as path from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DEFAULT_STACK_NAME } from '../../stepfunctions/state-machine-name';
import { DEFAULT_BEDROCK_MODEL_ID } from '../../stages/shared/cost/price-constants';
import {
  isMovingTag,
  MOVING_TAG_FILTERS,
  readHeadCommit,
  SHA_TAG_LENGTH,
  shaTag,
} from '../../scripts/lib/image-tags';

export const CONTEXT_KEYS = {
  stackName: 'podcast-platform:stackName',
  /** The image tag the tasks run: immutable; by default the checked-out commit's SHA tag. */
  imageTag: 'podcast-platform:imageTag',
  /** An email address the alarm topic notifies (a subscription to confirm); none by default. */
  alarmEmail: 'podcast-platform:alarmEmail',
  logRetentionDays: 'podcast-platform:logRetentionDays',
  removalPolicy: 'podcast-platform:removalPolicy',
  runArtifactsExpirationDays: 'podcast-platform:runArtifactsExpirationDays',
  eventTtlDays: 'podcast-platform:eventTtlDays',
  stageTaskCommand: 'podcast-platform:stageTaskCommand',
  /** The Bedrock model the stack grants and sets as BEDROCK_MODEL_ID (podcasts without their own). */
  bedrockModelId: 'podcast-platform:bedrockModelId',
  /** More Bedrock model ids to grant, for podcasts naming one in `providers.bedrockModelId`. */
  bedrockExtraModelIds: 'podcast-platform:bedrockExtraModelIds',
  /** The public origin's own host name (an alias of the CloudFront distribution); with certificateArn. */
  domainName: 'podcast-platform:domainName',
  /** The ACM certificate (us-east-1) covering domainName; with domainName. */
  certificateArn: 'podcast-platform:certificateArn',
  /**
   * The GitHub repository (`owner/repo`, or `owner@<org id>/repo@<repo id>` where GitHub emits the
   * immutable subject claim) whose deploy workflow may assume the deploy role; no role without it.
   */
  githubRepository: 'podcast-platform:githubRepository',
  /** The branch of githubRepository that deploys (default main). */
  githubBranch: 'podcast-platform:githubBranch',
  /** The account's existing token.actions.githubusercontent.com OIDC provider (default: one is created). */
  githubOidcProviderArn: 'podcast-platform:githubOidcProviderArn',
} as const;

export interface AppSettings {
  readonly stackName: string;
  readonly imageTag: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly runArtifactsExpirationDays?: number;
  readonly eventTtlDays?: number;
  readonly stageTaskCommand?: readonly string[];
}

/** Reads one context value (the App's tryGetContext). */
export type ContextReader = (key: string) => unknown;

export interface AppSettingsOptions {
  /**
   * The checked-out commit, for the default image tag; throws when it cannot be read.
   * @default `git rev-parse HEAD` in the repository root
   */
  readonly headCommit?: () => string;
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
// At most 71 characters: the state machine is named `<stack name>-pipeline` (80 at most).
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,70}$/;

export function readAppSettings(read: ContextReader, options: AppSettingsOptions = {}): AppSettings {
  const stackName = text(read, CONTEXT_KEYS.stackName, DEFAULT_STACK_NAME);
  if (!STACK_NAME.test(stackName))
    throw invalid(
      CONTEXT_KEYS.stackName,
      stackName,
      'a CloudFormation stack name (letters, digits, hyphens; at most 71 characters)'
    );
  const imageTag = readImageTag(read, options.headCommit ?? (() => readHeadCommit(PROJECT_ROOT)));

  const retentionDays = wholeNumber(read, CONTEXT_KEYS.logRetentionDays) ?? 30;
  if (!(Object.values(logs.RetentionDays) as number[]).includes(retentionDays)) {
    throw invalid(
      CONTEXT_KEYS.logRetentionDays,
      retentionDays,
      'a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, ...)'
    );
  }

  const removal = text(read, CONTEXT_KEYS.removalPolicy, 'retain');
  if (removal !== 'retain' && removal !== 'destroy')
    throw invalid(CONTEXT_KEYS.removalPolicy, removal, '"retain" or "destroy"');

  const runArtifactsExpirationDays = wholeNumber(read, CONTEXT_KEYS.runArtifactsExpirationDays);
  const eventTtlDays = wholeNumber(read, CONTEXT_KEYS.eventTtlDays);
  const stageTaskCommand = command(read, CONTEXT_KEYS.stageTaskCommand);
  return {
    stackName,
    imageTag,
    logRetention: retentionDays as logs.RetentionDays,
    removalPolicy: removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    ...(runArtifactsExpirationDays !== undefined ? { runArtifactsExpirationDays } : {}),
    ...(eventTtlDays !== undefined ? { eventTtlDays } : {}),
    ...(stageTaskCommand ? { stageTaskCommand } : {}),
  };
}

/**
 * The image tag: `-c podcast-platform:imageTag=<tag>`, else the SHA tag of the checked-out commit
 * (what `npm run build-and-push` pushed from it). A tag the repository lets move is refused: the
 * image behind it changes with every build, under a deployed task definition.
 */
function readImageTag(read: ContextReader, headCommit: () => string): string {
  const given = optionalText(read, CONTEXT_KEYS.imageTag);
  if (given === undefined) {
    let commit: string;
    try {
      commit = headCommit();
    } catch (error) {
      throw new Error(
        `context ${CONTEXT_KEYS.imageTag}: not set, and its default, the checked-out commit's SHA tag, cannot be read (${(error as Error).message}). ` +
          `Run \`npm run build-and-push -- --region <region> --stack <stack>\`: its last line is the image URI, ending in :<sha tag> (the commit's first ${SHA_TAG_LENGTH} hex digits); ` +
          `then deploy with -c ${CONTEXT_KEYS.imageTag}=<sha tag>`,
        { cause: error }
      );
    }
    return shaTag(commit);
  }
  if (!IMAGE_TAG.test(given)) throw invalid(CONTEXT_KEYS.imageTag, given, 'a Docker image tag');
  if (isMovingTag(given))
    throw new Error(
      `context ${CONTEXT_KEYS.imageTag}: ${JSON.stringify(given)} is a moving tag (the repository lets ${MOVING_TAG_FILTERS.join(' and ')} move to each new build), so the tasks would not run a fixed image: ` +
        `deploy an immutable SHA tag, the commit's first ${SHA_TAG_LENGTH} hex digits that \`npm run build-and-push\` prints (-c ${CONTEXT_KEYS.imageTag}=<sha tag>), ` +
        "or leave the key unset to deploy the checked-out commit's"
    );
  return given;
}

/** The alarm topic's optional email subscription. */
export interface AlarmSettings {
  readonly alarmEmail?: string;
}

// One address, no display name: local part, @, a domain with a dot; at most 254 characters.
const EMAIL =
  /^(?=.{3,254}$)[^\s@<>(),;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function readAlarmSettings(read: ContextReader): AlarmSettings {
  const alarmEmail = optionalText(read, CONTEXT_KEYS.alarmEmail);
  if (alarmEmail === undefined) return {};
  if (!EMAIL.test(alarmEmail))
    throw invalid(CONTEXT_KEYS.alarmEmail, alarmEmail, 'an email address (e.g. ops@example.com)');
  return { alarmEmail };
}

/** The cloud providers' settings (Bedrock models to grant). */
export interface ProviderSettings {
  readonly bedrockModelId: string;
  readonly extraBedrockModelIds: readonly string[];
}

const BEDROCK_MODEL_ID = /^[a-z0-9][a-z0-9._:-]{2,199}$/;

export function readProviderSettings(read: ContextReader): ProviderSettings {
  const bedrockModelId = text(read, CONTEXT_KEYS.bedrockModelId, DEFAULT_BEDROCK_MODEL_ID);
  if (!BEDROCK_MODEL_ID.test(bedrockModelId))
    throw invalid(
      CONTEXT_KEYS.bedrockModelId,
      bedrockModelId,
      'a Bedrock model id (e.g. amazon.nova-lite-v1:0)'
    );
  const extra = modelIdList(read, CONTEXT_KEYS.bedrockExtraModelIds);
  for (const modelId of extra) {
    if (!BEDROCK_MODEL_ID.test(modelId))
      throw invalid(
        CONTEXT_KEYS.bedrockExtraModelIds,
        modelId,
        'a Bedrock model id (e.g. amazon.nova-pro-v1:0)'
      );
  }
  return { bedrockModelId, extraBedrockModelIds: extra };
}

/** A list of model ids: a JSON array (cdk.json, may be empty), its JSON text or a comma-separated list (`-c`). */
function modelIdList(read: ContextReader, key: string): string[] {
  const value = read(key);
  if (value === undefined || value === null || value === '') return [];
  let parsed: unknown = value;
  if (typeof value === 'string')
    parsed = value.trim().startsWith('[')
      ? safeJson(value)
      : value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string'))
    throw invalid(key, value, 'a list of Bedrock model ids');
  return parsed as string[];
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

export function invalid(key: string, value: unknown, expected: string): Error {
  return new Error(`context ${key}: ${JSON.stringify(value)} is not ${expected}`);
}

function text(read: ContextReader, key: string, fallback: string): string {
  const value = read(key);
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string') throw invalid(key, value, 'a string');
  return value;
}

export function optionalText(read: ContextReader, key: string): string | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(key, value, 'a string');
  return value;
}

/** Context from `-c key=3` arrives as a string; from cdk.json as a number. */
function wholeNumber(read: ContextReader, key: string): number | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = typeof value === 'string' ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < 1)
    throw invalid(key, value, 'a whole number >= 1');
  return parsed;
}

/** A JSON array of strings (from cdk.json) or its JSON text (from `-c`). */
function command(read: ContextReader, key: string): string[] | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw invalid(key, value, 'a JSON array of strings');
    }
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length === 0 ||
    !parsed.every((part) => typeof part === 'string' && part.length > 0)
  ) {
    throw invalid(key, value, 'a non-empty JSON array of strings');
  }
  return parsed as string[];
}
