/** The orchestrator's command line: the same entry point runs locally, in `docker run` and on Fargate. */
import { parseAllowHost } from '../../../stages/shared/adapters/fetch/fetch-policy';
import { ValidationError } from '../../../stages/shared/errors';

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
  const args: CliArgs = { podcastFiles: [], allowHosts: [], json: false, mode: 'monolithic', logLevel: 'warn', help: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new ValidationError(`${flag} needs a value`, flag);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    switch (arg) {
      case '--podcast':
        args.podcastFiles.push(value(i++, arg));
        break;
      case '--allow-host':
        args.allowHosts.push(parseAllowHost(value(i++, arg), arg));
        break;
      case '--json':
        args.json = true;
        break;
      case '--mode': {
        const mode = value(i++, arg);
        if (mode !== 'monolithic' && mode !== 'distributed') throw new ValidationError(`--mode must be monolithic or distributed, not "${mode}"`, '--mode');
        args.mode = mode;
        break;
      }
      case '--resume':
        args.resume = value(i++, arg);
        break;
      case '--data-dir':
        args.dataDir = value(i++, arg);
        break;
      case '--output-dir':
        args.outputDir = value(i++, arg);
        break;
      case '--log-level': {
        const level = value(i++, arg);
        if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ValidationError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`, '--log-level');
        args.logLevel = level as CliArgs['logLevel'];
        break;
      }
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        if (arg.startsWith('-')) throw new ValidationError(`unknown option ${arg} (see --help)`, arg);
        if (args.inputFile) throw new ValidationError(`only one input file is accepted (got ${args.inputFile} and ${arg})`, 'input');
        args.inputFile = arg;
    }
  }
  return args;
}
