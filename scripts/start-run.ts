#!/usr/bin/env node
/**
 * Starts a pipeline run (composition root; the logic is in scripts/lib/start-run-command.ts).
 *
 *   npm run start-run -- --podcast-id tech-weekly --date 2026-11-23 --mode auto --wait
 *   npm run start-run -- examples/tech-weekly/run.json --mode distributed --local
 *
 * AWS: STATE_MACHINE_ARN (or --state-machine-arn), credentials from the SDK's default chain; --wait
 * reads the runs and events tables named by the stack's outputs (RUNS_TABLE, EVENTS_TABLE, ...).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createDynamoDocumentClient } from '../stages/shared/adapters/aws/aws-clients';
import { DynamoPodcastRepository } from '../stages/shared/adapters/aws/dynamo-podcast-repository';
import type { PodcastConfigInput } from '../stages/shared/config-schema';
import { ENV } from '../stages/shared/env';
import { openRunStore, type StoreLocation } from './lib/run-store';
import { startRunMain } from './lib/start-run-command';
import { runMain } from './lib/run-main';

const ORCHESTRATOR_MAIN = path.resolve(__dirname, '../containers/orchestrator/main.ts');

/** The stored config: the local servers' podcasts table, or the deployed one (PODCASTS_TABLE only). */
async function lookupPodcast(
  podcastId: string,
  location: StoreLocation
): Promise<PodcastConfigInput | undefined> {
  if (location.local) {
    const store = await openRunStore(location);
    try {
      return await store.persistence.podcasts.get(podcastId);
    } finally {
      await store.close();
    }
  }
  const table = location.env[ENV.podcastsTable];
  if (!table) return undefined;
  return new DynamoPodcastRepository(createDynamoDocumentClient(location.env), table).get(podcastId);
}

/** `node --import tsx containers/orchestrator/main.ts ...`, attached to this terminal. */
function spawnOrchestrator(args: string[], env: Record<string, string>): Promise<number> {
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, ORCHESTRATOR_MAIN, ...args], {
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    const forward = () => child.kill('SIGTERM');
    process.once('SIGTERM', forward);
    process.once('SIGINT', forward);
    child.on('error', (error) => {
      process.stderr.write(`error: cannot start the orchestrator: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', forward);
      resolve(code ?? (signal === 'SIGTERM' ? 143 : 1));
    });
  });
}

runMain(
  startRunMain(process.argv.slice(2), {
    stdout: process.stdout,
    err: (line) => process.stderr.write(`${line}\n`),
    cwd: process.cwd(),
    env: process.env,
    createSfnClient: (region) => new SFNClient({ region }),
    openStore: openRunStore,
    lookupPodcast,
    spawnOrchestrator,
  })
);
