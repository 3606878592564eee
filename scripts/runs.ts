#!/usr/bin/env node
/**
 * Operator view of runs: `runs list`, `runs show <runId>`, `runs fail <runId> --reason "..."`,
 * `runs approve <runId> [--script file.json]`, `runs reject <runId> --reason "..."`.
 * Against the deployed tables (RUNS_TABLE, EVENTS_TABLE, ... from the stack's outputs) or, with
 * --local, the local orchestrator's data directory. See scripts/lib/runs-commands.ts (RUNS_USAGE).
 *
 *   npm run runs -- list --stalled --older-than 30m
 *   npm run runs -- show tech-weekly-2f6c1a9e04b7 --local
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnTaskTokenNotifier } from '../stages/shared/adapters/aws/sfn-task-token-notifier';
import { runsMain } from './lib/runs-commands';
import { openRunStore } from './lib/run-store';
import { runMain } from './lib/run-main';

runMain(
  runsMain(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    cwd: process.cwd(),
    env: process.env,
    openStore: (location) => openRunStore(location, { existingDataDir: true }),
    // Only built when a decision must reach a state machine (a distributed run's task token).
    taskTokens: () => new SfnTaskTokenNotifier(new SFNClient({})),
  })
);
