/** The orchestrator's command line: the same entry point runs locally, in `docker run` and on Fargate. */
import { parseAllowHost } from '../../../stages/shared/adapters/fetch/fetch-policy';
import { ValidationError } from '../../../stages/shared/errors';
import { oneOf, parseFlags } from '../../../scripts/lib/cli-flags';

export interface CliArgs {
  inputFile?: string;
  podcastFiles: string[];
  /** Canonical `host:port` pairs the fetch guard lets through (local testing only). */
  allowHosts: string[];
  json: boolean;
  mode: 'monolithic' | 'distributed';
  resume?: string;
  dataDir?: string;
  outputDir?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  help: boolean;
}

export const USAGE = `usage: orchestrator [input.json] [options]

Runs the podcast pipeline for one run input (a JSON file, PIPELINE_INPUT, or stdin).
With no AWS configuration (no ${'MEDIA_BUCKET'} in the environment) it starts local DynamoDB and S3
servers in-process, keeps their data under .data/, and copies the episode into output/.

options:
  --podcast <file>     store this podcast config first (repeatable; relative feed paths resolve
                       against the file)
  --allow-host <h:p>   let fetches reach exactly this host and port although the fetch policy
                       would refuse it (a test server on 127.0.0.1; repeatable; local testing
                       only, like FETCH_ALLOW_HOSTS=h:p,...)
  --json               one JSON line per pipeline event on stdout
  --mode <mode>        monolithic (default) or distributed (the state machine, run locally)
  --resume <runId>     rerun a failed run from its stored input; finished stages are skipped
  --data-dir <dir>     local servers' data folder (default .data)
  --output-dir <dir>   where the finished episode is copied (default output)
  --log-level <level>  debug | info | warn | error | silent (default warn; logs go to stderr)
  -h, --help           this text

exit codes: 0 published, 1 the run failed (recorded with the failing stage), 2 bad input,
130/143 stopped by SIGINT/SIGTERM (the run recorded failed)`;

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const flags = parseFlags(argv, {
    values: ['mode', 'resume', 'data-dir', 'output-dir', 'log-level'],
    repeatable: ['podcast', 'allow-host'],
    switches: ['json', 'help'],
    aliases: { h: 'help' },
  });
  const [inputFile, extra] = flags.positionals;
  if (extra !== undefined)
    throw new ValidationError(`only one input file is accepted (got ${inputFile} and ${extra})`, 'input');
  if (inputFile !== undefined && flags.values.resume !== undefined) {
    throw new ValidationError(
      `--resume reruns a stored run with its stored input; it takes no input file (got ${inputFile})`,
      '--resume'
    );
  }
  const { values } = flags;
  return {
    ...(inputFile !== undefined ? { inputFile } : {}),
    podcastFiles: flags.lists.podcast ?? [],
    allowHosts: (flags.lists['allow-host'] ?? []).map((entry) => parseAllowHost(entry, '--allow-host')),
    json: flags.switches.has('json'),
    mode: oneOf(values.mode, ['monolithic', 'distributed'] as const, '--mode') ?? 'monolithic',
    ...(values.resume !== undefined ? { resume: values.resume } : {}),
    ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
    ...(values['output-dir'] !== undefined ? { outputDir: values['output-dir'] } : {}),
    logLevel: oneOf(values['log-level'], LOG_LEVELS, '--log-level') ?? 'warn',
    help: flags.switches.has('help'),
  };
}
