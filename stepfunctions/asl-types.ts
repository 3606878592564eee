/**
 * The subset of the Amazon States Language (JSONPath mode) the generator emits. Kept narrow on
 * purpose: every field here is one the generated definition uses and aws-local-stepfunctions runs.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  ResultPath: string;
  Next: string;
}

/** Either `Next` or `End: true` (never both): how a non-terminal state leaves. */
export type Transition = { Next: string; End?: never } | { End: true; Next?: never };

interface StateBase {
  Comment?: string;
}

export type TaskState = StateBase &
  Transition & {
    Type: 'Task';
    Resource: string;
    Parameters?: JsonObject;
    ResultSelector?: JsonObject;
    ResultPath?: string | null;
    TimeoutSeconds?: number;
    /** A path to a positive integer in the state's input (the approval's deadline). */
    TimeoutSecondsPath?: string;
    HeartbeatSeconds?: number;
    Retry?: Retrier[];
    Catch?: Catcher[];
  };

export interface ChoiceRule {
  Variable?: string;
  BooleanEquals?: boolean;
  IsPresent?: boolean;
  And?: ChoiceRule[];
  Next?: string;
}

export type ChoiceState = StateBase & {
  Type: 'Choice';
  Choices: ChoiceRule[];
  Default: string;
};

export type PassState = StateBase &
  Transition & {
    Type: 'Pass';
    Result?: JsonValue;
    ResultPath?: string | null;
  };

export interface FailState extends StateBase {
  Type: 'Fail';
  Error: string;
  Cause?: string;
  CausePath?: string;
}

export interface SucceedState extends StateBase {
  Type: 'Succeed';
}

export interface StateMachineScope {
  StartAt: string;
  States: Record<string, State>;
}

export type MapState = StateBase &
  Transition & {
    Type: 'Map';
    ItemsPath: string;
    MaxConcurrency: number;
    ItemSelector: JsonObject;
    ItemProcessor: StateMachineScope & { ProcessorConfig: { Mode: 'INLINE' } };
    ResultPath: string;
    Catch?: Catcher[];
  };

export type ParallelState = StateBase &
  Transition & {
    Type: 'Parallel';
    Branches: StateMachineScope[];
    ResultSelector: JsonObject;
    ResultPath: string;
    Catch?: Catcher[];
  };

export type State = TaskState | ChoiceState | PassState | FailState | SucceedState | MapState | ParallelState;

export interface StateMachineDefinition extends StateMachineScope {
  Comment: string;
  QueryLanguage: 'JSONPath';
}
