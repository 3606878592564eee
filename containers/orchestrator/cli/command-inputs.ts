/**
 * Everything the command can check before it writes anything: the folders it will write to, the
 * `--podcast` files and the run input (a file, PIPELINE_INPUT or stdin). Bad input found here is
 * a ValidationError (exit 2) with no local data directory, no run record and no output created.
 */
import path from 'node:path';
import type { PodcastConfig } from '../../../stages/shared/config-schema';
import { ENV, optionalEnv } from '../../../stages/shared/env';
import { resolvePublicBaseUrl } from '../../../stages/shared/public-urls';
import { loadPodcastConfigFile } from '../local/podcast-config-file';
import type { CliArgs } from './cli-args';
import { checkFolderArg } from './preflight';
import { readRunInput, type RunInputEnvelope } from './read-run-input';

export const DEFAULT_DATA_DIR = '.data';
export const DEFAULT_OUTPUT_DIR = 'output';

export interface CommandInputs {
  /**
   * The podcast configs to store before the run, validated and resolved: a file without
   * `publicBaseUrl` gets `<PUBLIC_ORIGIN_URL>/podcasts/<podcastId>`, and is bad input without it.
   */
  podcasts: PodcastConfig[];
  /** The run input; absent for --resume (read from the run record once the data is open). */
  envelope?: RunInputEnvelope;
  /** The embedded servers' data folder and the episode's output folder (local mode only). */
  folders?: { dataDir: string; outputDir: string };
}

export interface InputIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: () => Promise<string | undefined>;
  /** Reads a Step Functions execution's input (PIPELINE_EXECUTION_ARN, the Fargate task). */
  executionInput?: (executionArn: string) => Promise<string>;
}

export async function readCommandInputs(args: CliArgs, io: InputIo, local: boolean): Promise<CommandInputs> {
  let folders: CommandInputs['folders'];
  if (local) {
    folders = {
      dataDir: path.resolve(io.cwd, args.dataDir ?? io.env.PODCAST_PLATFORM_DATA_DIR ?? DEFAULT_DATA_DIR),
      outputDir: path.resolve(io.cwd, args.outputDir ?? DEFAULT_OUTPUT_DIR),
    };
    await checkFolderArg(folders.dataDir, '--data-dir');
    await checkFolderArg(folders.outputDir, '--output-dir');
  }
  const podcasts: PodcastConfig[] = [];
  for (const file of args.podcastFiles) {
    const config = await loadPodcastConfigFile(path.resolve(io.cwd, file));
    const what = `podcast config ${path.basename(file)}`;
    podcasts.push(resolvePublicBaseUrl(config, optionalEnv(ENV.publicOrigin, io.env), what));
  }
  const envelope = args.resume
    ? undefined
    : await readRunInput({
        file: args.inputFile && path.resolve(io.cwd, args.inputFile),
        env: io.env,
        stdin: io.stdin,
        ...(io.executionInput ? { executionInput: io.executionInput } : {}),
      });
  return { podcasts, ...(envelope ? { envelope } : {}), ...(folders ? { folders } : {}) };
}
