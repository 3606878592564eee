/**
 * The command resolves its `--podcast` files before it writes anything: a file without
 * publicBaseUrl gets `<PUBLIC_ORIGIN_URL>/podcasts/<podcastId>`, and is bad input without it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCliArgs } from '../../containers/orchestrator/cli/cli-args';
import { readCommandInputs } from '../../containers/orchestrator/cli/command-inputs';
import { ValidationError } from '../../stages/shared/errors';
import { podcastConfig } from '../fixtures/podcast-config';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'command-inputs-'));
const file = (name: string, value: unknown) => {
  const p = path.join(tmp, name);
  writeFileSync(p, JSON.stringify(value));
  return p;
};
const withoutBaseUrl = () => {
  const raw: Record<string, unknown> = { ...podcastConfig() };
  delete raw.publicBaseUrl;
  return raw;
};
const runFile = file('run.json', { runId: 'run-1', podcastId: 'test-pod' });

function read(podcastFile: string, env: NodeJS.ProcessEnv) {
  const args = parseCliArgs(['--podcast', podcastFile, runFile]);
  return readCommandInputs(args, { cwd: tmp, env, stdin: async () => undefined }, false);
}

describe('readCommandInputs: publicBaseUrl of --podcast files', () => {
  it('defaults a missing one to <PUBLIC_ORIGIN_URL>/podcasts/<podcastId>', async () => {
    const inputs = await read(file('no-url.json', withoutBaseUrl()), {
      PUBLIC_ORIGIN_URL: 'https://d123.cloudfront.net/',
    });
    expect(inputs.podcasts.map((p) => p.publicBaseUrl)).toEqual([
      'https://d123.cloudfront.net/podcasts/test-pod',
    ]);
  });

  it("keeps the file's own", async () => {
    const inputs = await read(file('own-url.json', podcastConfig()), {
      PUBLIC_ORIGIN_URL: 'https://d123.cloudfront.net',
    });
    expect(inputs.podcasts[0]?.publicBaseUrl).toBe('https://podcasts.example.com/test-pod');
  });

  it('without PUBLIC_ORIGIN_URL: a ValidationError naming the file and the field', async () => {
    const error = await read(file('lacking.json', withoutBaseUrl()), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('podcast config lacking.json.publicBaseUrl');
    expect((error as Error).message).toMatch(/PUBLIC_ORIGIN_URL/);
  });
});
