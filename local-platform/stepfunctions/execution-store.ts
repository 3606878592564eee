/**
 * Where `serve` keeps its executions and their histories, so both survive a restart: one JSON
 * file per execution (replaced atomically: written aside, then renamed) and one JSON-lines file
 * of history events, appended, under `<data-dir>/stepfunctions/`. Everything is also held in
 * memory; the files are read once, when `serve` starts.
 *
 * File names are `x-<sha256 of the execution name, 32 hex digits>`: a name of 80 characters can be
 * 240 bytes of UTF-8 or more (past file systems' 255), and a hash has no `.`/`..` either. The
 * record holds the name. A write that fails leaves nothing behind in memory; a history file whose
 * last line was cut short (a crash, a full disk) is cut back to its last whole line on open.
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** The input as the caller sent it (JSON text). */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** ISO timestamps. */
  startDate: string;
  stopDate?: string;
  redriveCount: number;
  redriveDate?: string;
}

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  /** ISO timestamp. */
  timestamp: string;
  type: string;
  /** The `<type>EventDetails` member AWS gives each event type, by its member name. */
  details?: { member: string; value: Record<string, unknown> };
}

export type NewHistoryEvent = Omit<HistoryEvent, 'id' | 'previousEventId' | 'timestamp'> & {
  timestamp?: string;
};

const RECORD_SUFFIX = '.json';
const HISTORY_SUFFIX = '.history.jsonl';

export class ExecutionStore {
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly histories = new Map<string, HistoryEvent[]>();
  /** Appends per execution run one after another, so ids and file order agree. */
  private readonly writes = new Map<string, Promise<void>>();
  /** Record files that could not be read when the store was opened. */
  readonly unreadable: string[] = [];

  private constructor(private readonly dir: string) {}

  /** Opens (creating) the store in `dir` and reads every execution and history in it. */
  static async open(dir: string): Promise<ExecutionStore> {
    await mkdir(dir, { recursive: true });
    const store = new ExecutionStore(dir);
    for (const file of await readdir(dir)) {
      if (!file.startsWith('x-') || !file.endsWith(RECORD_SUFFIX) || file.endsWith(HISTORY_SUFFIX)) continue;
      let record: ExecutionRecord;
      try {
        record = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as ExecutionRecord;
        if (!isRecord(record)) throw new Error('not a record');
      } catch {
        // A record damaged by hand or by a full disk: left in place, and named, not fatal.
        store.unreadable.push(file);
        continue;
      }
      store.records.set(record.name, record);
      store.histories.set(record.name, await readHistory(store.historyFile(record.name)));
    }
    return store;
  }

  get(name: string): ExecutionRecord | undefined {
    return this.records.get(name);
  }

  /** Newest first, as ListExecutions returns them. */
  list(): ExecutionRecord[] {
    return [...this.records.values()].sort(
      (a, b) => b.startDate.localeCompare(a.startDate) || b.name.localeCompare(a.name)
    );
  }

  history(name: string): readonly HistoryEvent[] {
    return this.histories.get(name) ?? [];
  }

  /** Stores the record (a new one, or a new state of one); a failed write changes nothing. */
  async save(record: ExecutionRecord): Promise<void> {
    const before = this.records.get(record.name);
    const isNew = !this.histories.has(record.name);
    this.records.set(record.name, record);
    if (isNew) this.histories.set(record.name, []);
    try {
      await this.serially(record.name, async () => {
        const file = this.recordFile(record.name);
        const aside = `${file}.${process.pid}.tmp`;
        await writeFile(aside, JSON.stringify(record, null, 2));
        await rename(aside, file);
      });
    } catch (error) {
      if (before) this.records.set(record.name, before);
      else this.records.delete(record.name);
      if (isNew) this.histories.delete(record.name);
      throw error;
    }
  }

  /** Appends events with the next ids; returns them as stored. */
  async append(name: string, events: readonly NewHistoryEvent[]): Promise<HistoryEvent[]> {
    const history = this.histories.get(name);
    if (!history) throw new Error(`no execution "${name}"`);
    const added = events.map((event) => {
      const id = history.length + 1;
      const stored: HistoryEvent = {
        id,
        previousEventId: id - 1,
        timestamp: event.timestamp ?? new Date().toISOString(),
        type: event.type,
        ...(event.details ? { details: event.details } : {}),
      };
      history.push(stored);
      return stored;
    });
    const lines = added.map((event) => `${JSON.stringify(event)}\n`).join('');
    await this.serially(name, () => appendFile(this.historyFile(name), lines));
    return added;
  }

  /** Resolves when every write so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all(this.writes.values());
  }

  private serially(name: string, write: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(name) ?? Promise.resolve()).then(write);
    this.writes.set(
      name,
      next.catch(() => undefined)
    );
    return next;
  }

  private recordFile(name: string): string {
    return path.join(this.dir, `${fileStem(name)}${RECORD_SUFFIX}`);
  }

  private historyFile(name: string): string {
    return path.join(this.dir, `${fileStem(name)}${HISTORY_SUFFIX}`);
  }
}

function fileStem(name: string): string {
  return `x-${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}

const STATUSES = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

function isRecord(value: Partial<ExecutionRecord> | null): value is ExecutionRecord {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof value.name === 'string' &&
    typeof value.executionArn === 'string' &&
    typeof value.stateMachineArn === 'string' &&
    typeof value.input === 'string' &&
    typeof value.startDate === 'string' &&
    !Number.isNaN(Date.parse(value.startDate)) &&
    typeof value.redriveCount === 'number' &&
    STATUSES.has(String(value.status))
  );
}

/**
 * A history file's events. A last line cut short by a crash is dropped and the file cut back to
 * its last whole line, so the next append starts a line of its own (the events before it stand).
 */
async function readHistory(file: string): Promise<HistoryEvent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const events: HistoryEvent[] = [];
  let whole = '';
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as HistoryEvent);
      whole += `${line}\n`;
    } catch {
      break;
    }
  }
  if (whole !== text) await writeFile(file, whole);
  return events;
}
