/**
 * The run repository's claim on DynamoDB (dynamo-run-repository.ts): a conditional create, else
 * the record read back and classified (created, resumed, already running, succeeded or skipped,
 * another input), a failed run resumed with a conditional update.
 *
 * The record a claim writes carries the claim's token: when the SDK re-sends a create or a resume
 * whose answer was lost (a socket timeout after DynamoDB applied it), the retry fails its
 * condition, and the record read back is recognised as this claim's own, not another process's
 * running run (which would make a fresh start look like a takeover, and leave bad input running).
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, ValidationError } from '../../errors';
import type { ClaimResult, NewRun } from '../../ports';
import { newRunItem, toRunRecord } from './run-item';

/** A claim re-reads and retries when it races another writer; more rounds than this is a bug. */
const MAX_CLAIM_ROUNDS = 3;

type Item = Record<string, unknown>;

export interface ClaimWrites {
  /** Conditional put of a new run's item; false when the run exists. */
  create(item: Item): Promise<boolean>;
  read(runId: string): Promise<Item | undefined>;
  /** The failed run back to running under this token (resumeUpdate); undefined when not failed. */
  resume(token: string): Promise<Item | undefined>;
}

export async function claimRun(writes: ClaimWrites, run: NewRun, now: string): Promise<ClaimResult> {
  const token = randomUUID();
  let resumeSent = false;
  for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
    const item = newRunItem(run, 'running', now, undefined, token);
    if (await writes.create(item)) return { outcome: 'created', run: toRunRecord(item) };
    const stored = await writes.read(run.runId);
    if (!stored) continue; // deleted between the put and the read: try to create it again
    const existing = toRunRecord(stored);
    if (existing.inputHash !== run.inputHash) {
      throw new ValidationError(`runId "${run.runId}" was already used with a different input`, 'runId');
    }
    if (existing.status === 'running' && stored.claimToken === token)
      return { outcome: resumeSent ? 'resumed' : 'created', run: existing };
    if (existing.status === 'succeeded') return { outcome: 'already-succeeded', run: existing };
    if (existing.status === 'skipped') return { outcome: 'already-skipped', run: existing };
    if (existing.status === 'running') return { outcome: 'already-running', run: existing };
    resumeSent = true;
    const resumed = await writes.resume(token);
    if (resumed) return { outcome: 'resumed', run: toRunRecord(resumed) };
    // Another process resumed (or finished) it first, or this resume's answer was lost: read again.
  }
  throw new ConflictError(`run "${run.runId}" kept changing while it was being claimed`);
}
