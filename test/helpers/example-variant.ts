/**
 * Makes the example podcast with some config fields changed, end to end through the orchestrator
 * command as `npm start` runs it: the example's feeds and article snapshots are copied beside the
 * changed config (file: feeds are read only from under the config's own folder).
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CliOutcome, EXAMPLE_DIR, runCli } from './run-cli';

export interface ExampleVariantRun {
  outcome: CliOutcome;
  /** Where the episode's files were exported: `<outDir>/<podcastId>/<date>/`. */
  outDir: string;
}

export async function runExampleVariant(
  work: string,
  podcastId: string,
  overrides: Record<string, unknown>,
  date: string
): Promise<ExampleVariantRun> {
  const show = path.join(work, podcastId);
  await cp(path.join(EXAMPLE_DIR, 'feeds'), path.join(show, 'feeds'), { recursive: true });
  await cp(path.join(EXAMPLE_DIR, 'articles'), path.join(show, 'articles'), { recursive: true });
  const example = JSON.parse(await readFile(path.join(EXAMPLE_DIR, 'podcast.json'), 'utf8')) as object;
  const podcast = {
    ...example,
    podcastId,
    publicBaseUrl: `https://podcasts.example.com/${podcastId}`,
    ...overrides,
  };
  await writeFile(path.join(show, 'podcast.json'), JSON.stringify(podcast));
  await writeFile(
    path.join(show, 'run.json'),
    JSON.stringify({ runId: `${podcastId}-${date}`, podcastId, episode: { date } })
  );
  const outDir = path.join(work, 'out');
  const outcome = await runCli([
    '--podcast',
    path.join(show, 'podcast.json'),
    path.join(show, 'run.json'),
    '--data-dir',
    path.join(work, `data-${podcastId}`),
    '--output-dir',
    outDir,
  ]);
  return { outcome, outDir };
}
