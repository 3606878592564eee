import type { Template } from 'aws-cdk-lib/assertions';
import { StageFunction } from '../../infra/constructs/stage-function';
import { StageFunctions } from '../../infra/constructs/stage-functions';
import { PipelineBuckets } from '../../infra/constructs/pipeline-buckets';
import { PipelineTables } from '../../infra/constructs/pipeline-tables';
import type { PodcastPlatformStack } from '../../infra/stacks/podcast-platform-stack';
import { ENV } from '../../stages/shared/env';
import { realStack, registryStages } from './real-stack';
import { PROJECT_ROOT, emptyStack, logicalIdOf, templateOf } from './stack-fixture';

type Statement = { Action: string | string[]; Resource: unknown };
/** The parts of an AWS::Lambda::Function's properties the tests read. */
type FunctionProps = Record<string, unknown> & {
  Environment: { Variables: Record<string, unknown> };
  VpcConfig?: unknown;
};

/** The function resource and its role's statements, for one stage id. */
function stageFunction(stack: PodcastPlatformStack, template: Template, stageId: string) {
  const fn = stageId === 'run-status' ? stack.functions.runStatus : stack.functions.byStage.get(stageId);
  if (!fn) throw new Error(`no function for ${stageId}`);
  const resource = template.toJSON().Resources[logicalIdOf(fn.function)];
  const roleId = logicalIdOf(fn.role);
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  return { props: resource.Properties as FunctionProps, statements, logGroupId: logicalIdOf(fn.logGroup) };
}

/** The actions a role holds on resources whose ARN refers to `resourceId`. */
function actionsOn(statements: Statement[], resourceId: string): string[] {
  return statements
    .filter((s) => JSON.stringify(s.Resource).includes(`"${resourceId}"`))
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .sort();
}

describe('StageFunctions on the registry', () => {
  const stack = realStack();
  const template = templateOf(stack);
  const ids = {
    podcasts: logicalIdOf(stack.tables.podcasts),
    runs: logicalIdOf(stack.tables.runs),
    events: logicalIdOf(stack.tables.events),
    episodes: logicalIdOf(stack.tables.episodes),
    media: logicalIdOf(stack.buckets.media),
    rss: logicalIdOf(stack.buckets.rss),
  };
  const lambdaStages = registryStages('lambda');

  it('builds one function per lambda stage (fan-out stages included) plus run-status, and none for ecs stages', () => {
    expect([...stack.functions.byStage.keys()]).toEqual(lambdaStages.map((s) => s.id));
    for (const ecsStage of registryStages('ecs'))
      expect(stack.functions.byStage.has(ecsStage.id)).toBe(false);
    const pipelineFunctions = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) =>
      String(f.Properties.Description ?? '').startsWith('podcast pipeline')
    );
    expect(pipelineFunctions).toHaveLength(lambdaStages.length + 1);
  });

  it('runs each on Node.js 22, ARM64, X-Ray, with the memory and timeout of the registry and its own log group', () => {
    for (const stage of lambdaStages) {
      const { props, logGroupId } = stageFunction(stack, template, stage.id);
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: stage.lambda.memoryMb,
        Timeout: stage.timeoutSeconds,
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logGroupId } },
      });
      expect(props.VpcConfig).toBeUndefined();
      expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(30);
    }
  });

  it('gives every stage its run record, write-only events and media objects (no delete)', () => {
    for (const stage of lambdaStages) {
      const { statements, props } = stageFunction(stack, template, stage.id);
      expect(actionsOn(statements, ids.runs)).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'])
      );
      const events = actionsOn(statements, ids.events);
      expect(events).toContain('dynamodb:PutItem');
      expect(events).not.toContain('dynamodb:GetItem');
      expect(events).not.toContain('dynamodb:Query');
      expect(actionsOn(statements, ids.media)).toEqual([
        's3:AbortMultipartUpload',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ]);
      expect(props.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'podcast-platform',
        [ENV.runsTable]: { Ref: ids.runs },
        [ENV.eventsTable]: { Ref: ids.events },
        [ENV.mediaBucket]: { Ref: ids.media },
        [ENV.eventTtlDays]: '30',
      });
    }
  });

  it('adds exactly what the registry access says: podcasts for prepare, episodes for publish, the RSS bucket for feed', () => {
    const prepare = stageFunction(stack, template, 'prepare');
    expect(actionsOn(prepare.statements, ids.podcasts)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem'])
    );
    const publish = stageFunction(stack, template, 'publish');
    expect(actionsOn(publish.statements, ids.episodes)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem'])
    );
    const feed = stageFunction(stack, template, 'feed');
    expect(actionsOn(feed.statements, ids.rss)).toEqual([
      's3:AbortMultipartUpload',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    expect(actionsOn(feed.statements, ids.episodes)).toContain('dynamodb:Query');
    expect(actionsOn(feed.statements, ids.episodes)).not.toContain('dynamodb:PutItem');
  });

  it('keeps a stage away from data it was not given: discover reads episodes (story memory), never writes them, and cannot touch podcasts or the RSS bucket', () => {
    const discover = stageFunction(stack, template, 'discover');
    expect(actionsOn(discover.statements, ids.episodes)).toContain('dynamodb:Query');
    expect(actionsOn(discover.statements, ids.episodes)).not.toContain('dynamodb:PutItem');
    expect(discover.props.Environment.Variables[ENV.episodesTable]).toEqual({ Ref: ids.episodes });
    for (const id of [ids.podcasts, ids.rss]) expect(actionsOn(discover.statements, id)).toEqual([]);
    expect(discover.props.Environment.Variables[ENV.podcastsTable]).toBeUndefined();
    expect(discover.props.Environment.Variables[ENV.rssBucket]).toBeUndefined();
  });

  it('sets a resource variable exactly when the role holds a grant on that resource', () => {
    const envToId: Record<string, string> = {
      [ENV.podcastsTable]: ids.podcasts,
      [ENV.episodesTable]: ids.episodes,
      [ENV.rssBucket]: ids.rss,
      [ENV.mediaBucket]: ids.media,
    };
    for (const stageId of [...lambdaStages.map((s) => s.id), 'run-status']) {
      const { props, statements } = stageFunction(stack, template, stageId);
      for (const [envKey, resourceId] of Object.entries(envToId)) {
        expect([stageId, envKey, envKey in props.Environment.Variables]).toEqual([
          stageId,
          envKey,
          actionsOn(statements, resourceId).length > 0,
        ]);
      }
    }
  });

  it('lets run-status write the run record and events only', () => {
    const runStatus = stageFunction(stack, template, 'run-status');
    expect(actionsOn(runStatus.statements, ids.runs)).toContain('dynamodb:UpdateItem');
    expect(actionsOn(runStatus.statements, ids.events)).toContain('dynamodb:PutItem');
    expect(actionsOn(runStatus.statements, ids.media)).toEqual([]);
  });
});

describe('StageFunction props validation', () => {
  const base = {
    entry: `${PROJECT_ROOT}/stages/prepare/handler.ts`,
    projectRoot: PROJECT_ROOT,
    serviceName: 'svc',
  };

  it('rejects memory and timeouts Lambda cannot run', () => {
    expect(() => new StageFunction(emptyStack(), 'F', { ...base, memoryMb: 64, timeoutSeconds: 30 })).toThrow(
      /memoryMb must be a whole number from 128 to 10240 \(got 64\)/
    );
    expect(
      () => new StageFunction(emptyStack(), 'F', { ...base, memoryMb: 256, timeoutSeconds: 901 })
    ).toThrow(/timeoutSeconds .* \(got 901\); longer stages belong on ECS/);
    expect(
      () => new StageFunction(emptyStack(), 'F', { ...base, memoryMb: 256, timeoutSeconds: 30 })
    ).not.toThrow();
  });

  it('rejects duplicate, malformed and reserved stage ids', () => {
    const stack = emptyStack();
    const data = {
      tables: new PipelineTables(stack, 'Tables'),
      buckets: new PipelineBuckets(stack, 'Buckets'),
    };
    const stage = (id: string) => ({
      id,
      runtime: 'lambda' as const,
      timeoutSeconds: 30,
      lambda: { memoryMb: 256 },
    });
    const build = (id: string, ...stages: ReturnType<typeof stage>[]) =>
      new StageFunctions(stack, id, { stages, data, projectRoot: PROJECT_ROOT, serviceName: 'svc' });
    expect(() => build('A', stage('prepare'), stage('prepare'))).toThrow(/"prepare" appears twice/);
    expect(() => build('B', stage('Prepare'))).toThrow(/"Prepare" must be kebab-case/);
    expect(() => build('C', stage('run-status'))).toThrow(/"run-status" is reserved/);
  });
});
