/**
 * Where `serve` keeps its executions and their histories, so both survive a restart: one JSON
 * file per execution (replaced atomically: written aside, then renamed) and one JSON-lines file
 * of history events, appended, under `<data-dir>/stepfunctions/`. Everything is also held in
 * memory; the files are read once, when `serve` starts.
 *
 * File names are `<execution name>.json`: execution names never contain `/`, `\` or control
 * characters (the API checks them before anything is stored), and the `x-` prefix keeps `.` and
 * `..` harmless.
 */
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
        if (typeof record.name !== 'string' || typeof record.status !== 'string')
          throw new Error('not a record');
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

  /** Stores the record (a new one, or a new state of one). */
  async save(record: ExecutionRecord): Promise<void> {
    this.records.set(record.name, record);
    if (!this.histories.has(record.name)) this.histories.set(record.name, []);
    await this.serially(record.name, async () => {
      const file = this.recordFile(record.name);
      const aside = `${file}.${process.pid}.tmp`;
      await writeFile(aside, JSON.stringify(record, null, 2));
      await rename(aside, file);
    });
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
    return path.join(this.dir, `x-${name}${RECORD_SUFFIX}`);
  }

  private historyFile(name: string): string {
    return path.join(this.dir, `x-${name}${HISTORY_SUFFIX}`);
  }
}

/** A history file; a last line cut short by a crash is dropped (the events before it stand). */
async function readHistory(file: string): Promise<HistoryEvent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const events: HistoryEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as HistoryEvent);
    } catch {
      break;
    }
  }
  return events;
}
