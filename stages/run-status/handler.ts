import '../shared/adapters/register-runtime-deps';
import { runtimeDeps } from '../shared/runtime-deps';
import { recordRunStatus } from './run-status';

export const handler = async (event: unknown): Promise<{ runId: string; status: 'succeeded' | 'failed' }> =>
  recordRunStatus(event, runtimeDeps());
