#!/usr/bin/env node
/**
 * Operator view of runs: `runs list`, `runs show <runId>`, `runs fail <runId> --reason "..."`.
 * Against the deployed tables (RUNS_TABLE, EVENTS_TABLE, ... from the stack's outputs) or, with
 * --local, the local orchestrator's data directory. See scripts/lib/runs-commands.ts (RUNS_USAGE).
 *
 *   npm run runs -- list --stalled --older-than 30m
 *   npm run runs -- show tech-weekly-2f6c1a9e04b7 --local
 */
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
  })
);
