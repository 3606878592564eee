/**
 * The monolithic orchestrator as a real process for the reliability tests: `node --import tsx
 * --import fault-injection-preload.ts containers/orchestrator/main.ts ...` (quick heavy providers,
 * faults from TEST_FAULT_INJECTION), its `--json` event lines parsed as they arrive so a test can
 * act at a stage boundary (SIGKILL, SIGTERM), and its exit measured. The child gets no AWS table or
 * bucket variables, so it runs on embedded local servers in the data dir the test passes.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENV } from '../../stages/shared/env';
import type { PipelineEvent } from '../../stages/shared/ports';
import type { PodcastConfig } from '../../stages/shared/config-schema';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ORCHESTRATOR_MAIN = path.join(REPO_ROOT, 'containers', 'orchestrator', 'main.ts');
export const FAULT_PRELOAD = path.join(__dirname, 'fault-injection-preload.ts');
const EXAMPLE_DIR = path.join(REPO_ROOT, 'examples', 'tech-weekly');

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface OrchestratorProcess {
  child: ChildProcessWithoutNullStreams;
  /** Pipeline events printed so far (`--json`), in order. */
  events: PipelineEvent[];
  /** Non-event JSON lines (the final `{"type":"result"}`). */
  results: Record<string, unknown>[];
  stdout(): string;
  stderr(): string;
  /** Resolves with the first event (already printed or still to come) that matches. */
  waitForEvent(
    match: (event: PipelineEvent, seen: readonly PipelineEvent[]) => boolean,
    what: string,
    timeoutMs?: number
  ): Promise<PipelineEvent>;
  exited: Promise<ProcessExit>;
}

/** The parent's environment without anything that would point the child at AWS or feed it input. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    ...Object.values(ENV),
    'PIPELINE_INPUT',
    'RUN_ID',
    'PODCAST_ID',
    'PODCAST_PLATFORM_DATA_DIR',
    'TEST_FAULT_INJECTION',
  ])
    delete env[name];
  return { ...env, ...extra };
}

export function startOrchestrator(
  args: readonly string[],
  options: { env?: Record<string, string>; stdin?: string } = {}
): OrchestratorProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', pathToFileURL(FAULT_PRELOAD).href, ORCHESTRATOR_MAIN, ...args],
    {
      cwd: REPO_ROOT,
      env: childEnv(options.env ?? {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    }
  );
  child.stdin.end(options.stdin ?? '');
  const events: PipelineEvent[] = [];
  const results: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let out = '';
  let pending = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const parsed = JSON.parse(line) as Record<string, unknown>;
      // The one line that is not an event: the run's result (run-result.ts).
      if (parsed.type === 'result') results.push(parsed);
      else events.push(parsed as unknown as PipelineEvent);
    }
    for (const wake of [...waiters]) wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let closed = false;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.on('close', (code, signal) => {
      closed = true;
      for (const wake of [...waiters]) wake();
      resolve({ code, signal });
    });
  });

  const waitForEvent: OrchestratorProcess['waitForEvent'] = (match, what, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stderr: ${err.slice(-500)}`)),
        timeoutMs
      );
      const check = () => {
        const found = events.find((event, i) => match(event, events.slice(0, i + 1)));
        if (found) done(undefined, found);
        else if (closed)
          done(new Error(`the orchestrator exited before ${what}; stderr: ${err.slice(-500)}`));
      };
      let settled = false;
      const done = (error?: Error, event?: PipelineEvent) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(check), 1);
        if (error) reject(error);
        else resolve(event as PipelineEvent);
      };
      waiters.push(check);
      check();
    });

  return { child, events, results, stdout: () => out, stderr: () => err, waitForEvent, exited };
}

/** Writes the podcast config and the run input a test's processes read; returns their paths. */
/**
 * Writes the podcast config and run input into `dir`. The example's feeds and articles are copied
 * beside the config and its `file:` feeds made relative to it: the fetch policy reads local files
 * only under the folder of a config loaded with --podcast.
 */
export async function writeRunFiles(
  dir: string,
  podcast: PodcastConfig,
  input: Record<string, unknown>
): Promise<{ podcastFile: string; inputFile: string }> {
  const podcastFile = path.join(dir, 'podcast.json');
  const inputFile = path.join(dir, 'run.json');
  const exampleUrl = pathToFileURL(EXAMPLE_DIR).href;
  for (const folder of ['feeds', 'articles'])
    await cp(path.join(EXAMPLE_DIR, folder), path.join(dir, folder), { recursive: true });
  const sources = podcast.sources.map((s) =>
    s.feedUrl.startsWith(`${exampleUrl}/`) ? { ...s, feedUrl: s.feedUrl.slice(exampleUrl.length + 1) } : s
  );
  await writeFile(podcastFile, JSON.stringify({ ...podcast, sources }, null, 2));
  await writeFile(inputFile, JSON.stringify(input));
  return { podcastFile, inputFile };
}

/** Whether every unit of `stage` (all its shards, for a fan-out stage) has a stage.succeeded among `events`. */
export function stageFinished(
  stage: string,
  units: readonly string[],
  events: readonly PipelineEvent[]
): boolean {
  const done = new Set(events.filter((e) => e.type === 'stage.succeeded').map((e) => e.unit));
  return units.filter((u) => u.split('/')[0] === stage).every((u) => done.has(u));
}
