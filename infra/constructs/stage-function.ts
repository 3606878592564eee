/**
 * StageFunction: one pipeline Lambda with the defaults every pipeline function shares (the idea of
 * Powertools' FunctionWithLogGroup): Node.js 22 on ARM64, X-Ray active tracing, its own log group
 * with a retention, its own role allowed to write to that log group only (instead of the managed
 * AWSLambdaBasicExecutionRole, which allows writing to any log group), and an esbuild bundle.
 *
 * Bundling (lambda-bundling.ts holds the rules and the provider -> package map): each function's
 * bundle leaves out the heavy provider packages its stage's plan `providers` do not name (a
 * bundle without them still loads: the adapters require them on first use), never carries
 * @ffmpeg-installer, and gets mespeak's files beside the bundle instead of inlined. The AWS SDK
 * placement (bundled or the runtime's) is SDK_PLACEMENT, chosen by measurement (`npm run bench`).
 * `keepNames` keeps class and function names (error names are literals anyway); source maps are
 * separate .map files (linked, without sources content) and enabled with
 * NODE_OPTIONS=--enable-source-maps so stack traces point at the TypeScript.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ProviderKind } from '../../stages/pipeline-plan';
import type { DataConsumer } from './data-bindings';
import {
  ALL_PROVIDERS,
  copyShippedFilesCommands,
  LAMBDA_BUNDLE,
  lambdaExternals,
  SDK_PLACEMENT,
} from './lambda-bundling';

export interface StageFunctionProps {
  /** The handler module (a .ts file exporting `handler`). */
  readonly entry: string;
  /** Folder holding package-lock.json; esbuild runs from it. */
  readonly projectRoot: string;
  /** Memory in MB, 128 to 10240 (from the plan's `lambda.memoryMb`). */
  readonly memoryMb: number;
  /** Timeout in seconds, 1 to 900 (from the plan's `timeoutSeconds`). */
  readonly timeoutSeconds: number;
  /** Powertools service name (POWERTOOLS_SERVICE_NAME). */
  readonly serviceName: string;
  readonly description?: string;
  /**
   * The providers the stage calls (the plan's `providers`; pass `[]` for a stage with none):
   * the packages of the others are left out of the bundle (lambda-bundling.ts).
   * @default ALL_PROVIDERS (every provider package the bundle can carry)
   */
  readonly providers?: readonly ProviderKind[];
  /**
   * Retention of the function's own log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log group when the function is removed.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

export class StageFunction extends Construct implements DataConsumer {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: StageFunctionProps) {
    super(scope, id);
    validate(props);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(this.role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      role: this.role,
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      ...(props.description ? { description: props.description } : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: stageBundling(props.providers ?? ALL_PROVIDERS),
    });
  }

  get grantPrincipal() {
    return this.function.grantPrincipal;
  }

  addEnvironment(key: string, value: string): this {
    this.function.addEnvironment(key, value);
    return this;
  }
}

/** NodejsFunction bundling for a stage that calls `providers` (lambda-bundling.ts). */
export function stageBundling(providers: readonly ProviderKind[]): nodejs.BundlingOptions {
  return {
    minify: LAMBDA_BUNDLE.minify,
    keepNames: LAMBDA_BUNDLE.keepNames,
    sourceMap: LAMBDA_BUNDLE.sourceMap,
    sourceMapMode: nodejs.SourceMapMode.DEFAULT,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    target: LAMBDA_BUNDLE.target,
    mainFields: LAMBDA_BUNDLE.mainFields,
    format: nodejs.OutputFormat.CJS,
    bundleAwsSDK: SDK_PLACEMENT === 'bundled',
    externalModules: lambdaExternals(providers),
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => copyShippedFilesCommands(providers, inputDir, outputDir),
    },
  };
}

function validate(props: StageFunctionProps): void {
  const { memoryMb, timeoutSeconds, entry } = props;
  if (!Number.isInteger(memoryMb) || memoryMb < 128 || memoryMb > 10240) {
    throw new Error(
      `StageFunction ${entry}: memoryMb must be a whole number from 128 to 10240 (got ${memoryMb})`
    );
  }
  if (
    !Number.isInteger(timeoutSeconds) ||
    timeoutSeconds < 1 ||
    timeoutSeconds > LAMBDA_MAX_TIMEOUT_SECONDS
  ) {
    throw new Error(
      `StageFunction ${entry}: timeoutSeconds must be a whole number from 1 to ${LAMBDA_MAX_TIMEOUT_SECONDS} (got ${timeoutSeconds}); longer stages belong on ECS`
    );
  }
}
