/**
 * The names the definition uses: state names derived from stage ids, and the `${...}`
 * substitution placeholders the CDK stack fills in (DefinitionBody + definitionSubstitutions).
 * One place spells them, so the generator, the local runner and the tests agree.
 */

/** `tts` -> `Tts`, `run-status` -> `RunStatus`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** States that are not derived from a stage. */
export const FIXED_STATES = {
  checkMode: 'CheckOrchestrationMode',
  runMonolithic: 'RunMonolithicOrchestrator',
  recordOrchestratorFailure: 'RecordOrchestratorFailure',
  recordSuccess: 'RecordSuccess',
  pipelineFailed: 'PipelineFailed',
  /** Ends an execution whose run was recorded `skipped` (nothing new to publish). */
  pipelineSkipped: 'PipelineSkipped',
} as const;

/** The `stage` the run record names when the monolithic task itself fails. */
export const ORCHESTRATOR_STAGE = 'orchestrator';

export const stateNames = {
  /** The stage's own state (a Task, or the Map for a fan-out stage). */
  stage: (id: string) => pascalCase(id),
  /** The Task inside a fan-out stage's Map. */
  shard: (id: string) => `${pascalCase(id)}Shard`,
  checkEnabled: (id: string) => `Check${pascalCase(id)}Enabled`,
  skip: (id: string) => `Skip${pascalCase(id)}`,
  recordFailure: (id: string) => `Record${pascalCase(id)}Failure`,
  /** After a stage that may skip the run (plan `canSkipRun`): does its manifest ask to? */
  checkSkip: (id: string) => `Check${pascalCase(id)}SkipsRun`,
  /** Records the run `skipped` with the stage's reason (run-status `skip`). */
  recordSkip: (id: string) => `Record${pascalCase(id)}Skip`,
  /** After the approval stage: does prepare's manifest ask for approval of the script? */
  checkApproval: (id: string) => `Check${pascalCase(id)}Approval`,
  /** Waits (task token) until the stage's output is approved, rejected, or its deadline passes. */
  awaitApproval: (id: string) => `Await${pascalCase(id)}Approval`,
  /** Past the deadline: records the approval expired and the run failed (run-status `expireApproval`). */
  expireApproval: (id: string) => `Expire${pascalCase(id)}Approval`,
  /** The Fail state of a Parallel branch (state names are unique across the whole machine). */
  branchFailed: (firstStageId: string) => `${pascalCase(firstStageId)}BranchFailed`,
  parallel: (firstStageIds: readonly string[]) => `${firstStageIds.map(pascalCase).join('And')}InParallel`,
};

/** Substitution placeholders (`${Name}` in the JSON). */
export const placeholders = {
  functionArn: (id: string) => `${pascalCase(id)}FunctionArn`,
  taskDefinitionArn: (id: string) => `${pascalCase(id)}TaskDefinitionArn`,
  runStatusFunctionArn: 'RunStatusFunctionArn',
  orchestratorTaskDefinitionArn: 'OrchestratorTaskDefinitionArn',
  ecsClusterArn: 'EcsClusterArn',
  subnetIds: ['SubnetId1', 'SubnetId2'],
  securityGroupId: 'SecurityGroupId',
  assignPublicIp: 'AssignPublicIp',
} as const;

/** `${Name}`: how a placeholder appears in the definition. */
export function ref(name: string): string {
  return '${' + name + '}';
}

/** Container names in the task definitions the ECS states override. */
export const CONTAINER_NAMES = {
  orchestrator: 'orchestrator',
  stageTask: 'stage-task',
} as const;
