/**
 * Errors the Step Functions API answers with, in AWS's shape: HTTP 400 and a JSON body
 * `{"__type": "<code>", "message": "..."}` that the SDKs turn into exceptions of that name.
 */
export type SfnErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'ExecutionNotRedrivable'
  | 'InvalidArn'
  | 'InvalidName'
  | 'InvalidExecutionInput'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'StateMachineDoesNotExist'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException'
  | 'UnknownOperationException'
  | 'SerializationException'
  | 'InternalFailure';

export class SfnApiError extends Error {
  constructor(
    readonly code: SfnErrorCode,
    message: string
  ) {
    super(message);
    this.name = code;
  }

  get statusCode(): number {
    return this.code === 'InternalFailure' ? 500 : 400;
  }
}
