import { IMAGE_ENTRYPOINTS } from '../../scripts/lib/bundle-entry-points';
import type { Template } from 'aws-cdk-lib/assertions';
import { PipelineBuckets } from '../../infra/constructs/pipeline-buckets';
import { PipelineTables } from '../../infra/constructs/pipeline-tables';
import { PipelineTaskDefinition } from '../../infra/constructs/pipeline-task-definition';
import { PipelineTaskDefinitions } from '../../infra/constructs/pipeline-task-definitions';
import { ContainerRepository } from '../../infra/constructs/container-repository';
import type { PodcastPlatformStack } from '../../infra/stacks/podcast-platform-stack';
import { ENV } from '../../stages/shared/env';
import { realStack, registryStages, TEST_SHA_TAG } from './real-stack';
import { emptyStack, logicalIdOf, templateOf, testApp } from './stack-fixture';

type Statement = { Action: string | string[]; Resource: unknown };
/** The parts of an AWS::ECS::TaskDefinition's properties the tests read. */
type ContainerProps = Record<string, unknown> & {
  Name: string;
  Image: unknown;
  Environment: { Name: string; Value: unknown }[];
};
type TaskProps = Record<string, unknown> & {
  Cpu: string;
  Memory: string;
  ContainerDefinitions: ContainerProps[];
};

function taskOf(stack: PodcastPlatformStack, template: Template, id: string) {
  const task = id === 'orchestrator' ? stack.tasks.orchestrator : stack.tasks.byStage.get(id);
  if (!task) throw new Error(`no task definition for ${id}`);
  const props = template.toJSON().Resources[logicalIdOf(task.taskDefinition)].Properties as TaskProps;
  const roleId = logicalIdOf(task.taskDefinition.taskRole);
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  const container = props.ContainerDefinitions[0];
  if (!container) throw new Error(`task definition ${id} has no container`);
  const env: Record<string, unknown> = Object.fromEntries(
    container.Environment.map((e) => [e.Name, e.Value])
  );
  return { props, container, env, statements, logGroupId: logicalIdOf(task.logGroup) };
}

const touches = (statements: Statement[], resourceId: string) =>
  statements.some((s) => JSON.stringify(s.Resource).includes(`"${resourceId}"`));

describe('PipelineTaskDefinitions on the registry', () => {
  const stack = realStack();
  const template = templateOf(stack);
  const ecsStages = registryStages('ecs');
  const all = ['orchestrator', ...ecsStages.map((s) => s.id)];

  it('defines the orchestrator and one task per ecs stage', () => {
    template.resourceCountIs('AWS::ECS::TaskDefinition', 1 + ecsStages.length);
    expect([...stack.tasks.byStage.keys()]).toEqual(ecsStages.map((s) => s.id));
  });

  it('runs every task on Fargate ARM64 as the node user, with a read-only root, a writable /tmp and its own log group', () => {
    for (const id of all) {
      const { props, container, logGroupId } = taskOf(stack, template, id);
      expect(props).toMatchObject({
        RequiresCompatibilities: ['FARGATE'],
        NetworkMode: 'awsvpc',
        RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
        Volumes: [{ Name: 'tmp' }],
      });
      expect(container).toMatchObject({
        ReadonlyRootFilesystem: true,
        User: 'node',
        Essential: true,
        StopTimeout: 60,
        MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }],
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: expect.objectContaining({ 'awslogs-group': { Ref: logGroupId } }),
        },
      });
      // The SHA tag of the checked-out commit (app-settings' default), never a moving tag.
      expect(JSON.stringify(container.Image)).toContain(`:${TEST_SHA_TAG}"`);
    }
  });

  it('sizes each ecs stage task from the registry and names its stage', () => {
    for (const stage of ecsStages) {
      const { props, container, env } = taskOf(stack, template, stage.id);
      expect(props.Cpu).toBe(String(stage.task?.cpu));
      expect(props.Memory).toBe(String(stage.task?.memoryMb));
      expect(container.Name).toBe('stage-task');
      expect(env.STAGE_ID).toBe(stage.id);
      // The image's default entry point is the orchestrator; stage tasks start the stage-task bundle.
      expect(container.EntryPoint).toEqual([...IMAGE_ENTRYPOINTS['stage-task']]);
    }
    expect(taskOf(stack, template, 'orchestrator').container.EntryPoint).toBeUndefined();
  });

  it('gives the orchestrator 2 vCPU / 4 GiB and every data binding, since it runs all stages', () => {
    const { props, container, env, statements } = taskOf(stack, template, 'orchestrator');
    expect([props.Cpu, props.Memory, container.Name]).toEqual(['2048', '4096', 'orchestrator']);
    for (const key of [
      ENV.podcastsTable,
      ENV.runsTable,
      ENV.eventsTable,
      ENV.episodesTable,
      ENV.mediaBucket,
      ENV.rssBucket,
    ])
      expect(env[key]).toBeDefined();
    for (const c of [stack.tables.podcasts, stack.tables.episodes, stack.buckets.rss])
      expect(touches(statements, logicalIdOf(c))).toBe(true);
  });

  it('gives an ecs stage task only its own access: scrape has no podcasts, episodes or RSS', () => {
    const scrape = taskOf(stack, template, 'scrape');
    for (const c of [stack.tables.podcasts, stack.tables.episodes, stack.buckets.rss])
      expect(touches(scrape.statements, logicalIdOf(c))).toBe(false);
    expect(touches(scrape.statements, logicalIdOf(stack.buckets.media))).toBe(true);
    expect(scrape.env[ENV.episodesTable]).toBeUndefined();
    expect(scrape.env[ENV.mediaBucket]).toEqual({ Ref: logicalIdOf(stack.buckets.media) });
  });

  it('runs the image tag given in context', () => {
    const tagged = realStack({}, testApp({ context: { 'podcast-platform:imageTag': 'v9.1.0' } }));
    const { container } = taskOf(tagged, templateOf(tagged), 'orchestrator');
    expect(JSON.stringify(container.Image)).toContain(':v9.1.0');
  });
});

describe('task definition props validation', () => {
  const setup = () => {
    const stack = emptyStack();
    return { stack, repository: new ContainerRepository(stack, 'Repo').repository };
  };

  it('rejects sizes Fargate does not offer and an empty image tag', () => {
    const { stack, repository } = setup();
    const props = { repository, imageTag: '0123456789ab', containerName: 'c' };
    expect(() => new PipelineTaskDefinition(stack, 'A', { ...props, cpu: 300, memoryMiB: 1024 })).toThrow(
      /cpu 300 is not a Fargate size/
    );
    expect(() => new PipelineTaskDefinition(stack, 'B', { ...props, cpu: 256, memoryMiB: 1536 })).toThrow(
      /memoryMiB 1536 is not valid for cpu 256/
    );
    expect(() => new PipelineTaskDefinition(stack, 'C', { ...props, cpu: 1024, memoryMiB: 16384 })).toThrow(
      /not valid for cpu 1024/
    );
    expect(
      () => new PipelineTaskDefinition(stack, 'D', { ...props, imageTag: ' ', cpu: 512, memoryMiB: 1024 })
    ).toThrow(/imageTag must not be empty/);
    for (const moving of ['latest', 'latest-staging'])
      expect(
        () =>
          new PipelineTaskDefinition(stack, `M-${moving}`, {
            ...props,
            imageTag: moving,
            cpu: 512,
            memoryMiB: 1024,
          })
      ).toThrow(`imageTag "${moving}" is a moving tag; run an immutable one (the commit's SHA tag)`);
    expect(
      () => new PipelineTaskDefinition(stack, 'E', { ...props, cpu: 512, memoryMiB: 2048 })
    ).not.toThrow();
  });

  it('rejects an ecs stage the registry gives no task size', () => {
    const { stack, repository } = setup();
    const data = {
      tables: new PipelineTables(stack, 'Tables'),
      buckets: new PipelineBuckets(stack, 'Buckets'),
    };
    const stages = [{ id: 'mix', runtime: 'ecs' as const, timeoutSeconds: 900, lambda: { memoryMb: 2048 } }];
    expect(
      () =>
        new PipelineTaskDefinitions(stack, 'Tasks', { stages, data, repository, imageTag: '0123456789ab' })
    ).toThrow(/ecs stage "mix" has no task size/);
  });
});
