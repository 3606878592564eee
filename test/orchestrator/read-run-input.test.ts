import { parseCliArgs } from '../../containers/orchestrator/cli/cli-args';
import { readRunInput, readStdin } from '../../containers/orchestrator/cli/read-run-input';
import { ValidationError } from '../../stages/shared/errors';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'read-input-'));
const file = (name: string, text: string) => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('readRunInput', () => {
  it('reads a file argument first, then PIPELINE_INPUT, then stdin', async () => {
    const fromFile = await readRunInput({
      file: file('a.json', '{"runId":"r1","podcastId":"p1"}'),
      env: { PIPELINE_INPUT: '{"podcastId":"p2"}' },
    });
    expect(fromFile).toMatchObject({ runId: 'r1', podcastId: 'p1' });
    const fromEnv = await readRunInput({
      env: { PIPELINE_INPUT: '{"runId":"r2","podcastId":"p2"}' },
      stdin: async () => '{"podcastId":"p3"}',
    });
    expect(fromEnv).toMatchObject({ runId: 'r2', source: 'PIPELINE_INPUT' });
    const fromStdin = await readRunInput({ env: {}, stdin: async () => '{"runId":"r3","podcastId":"p3"}' });
    expect(fromStdin).toMatchObject({ runId: 'r3', source: 'stdin' });
  });

  it('reads the input of the execution named by PIPELINE_EXECUTION_ARN (the monolithic task), checked like any input', async () => {
    const arn = 'arn:aws:states:eu-west-1:123456789012:execution:PodcastPlatform-pipeline:r4';
    const asked: string[] = [];
    const executionInput = async (executionArn: string) => {
      asked.push(executionArn);
      return '{"runId":"r4","podcastId":"p4"}';
    };
    const read = await readRunInput({ env: { PIPELINE_EXECUTION_ARN: arn, RUN_ID: 'r4' }, executionInput });
    expect(read).toMatchObject({ runId: 'r4', podcastId: 'p4', source: `the input of execution ${arn}` });
    expect(asked).toEqual([arn]);
    await expect(
      readRunInput({ env: { PIPELINE_EXECUTION_ARN: 'not-an-arn' }, executionInput })
    ).rejects.toThrow(/PIPELINE_EXECUTION_ARN: "not-an-arn" is not an execution ARN/);
    await expect(readRunInput({ env: { PIPELINE_EXECUTION_ARN: arn } })).rejects.toThrow(ValidationError);
    await expect(
      readRunInput({ env: { PIPELINE_EXECUTION_ARN: arn }, executionInput: async () => '[1]' })
    ).rejects.toThrow(/must hold a JSON object/);
  });

  it('fills runId and podcastId from RUN_ID and PODCAST_ID, and rejects a mismatch', async () => {
    const filled = await readRunInput({ env: { RUN_ID: 'r9', PODCAST_ID: 'p9', PIPELINE_INPUT: '{}' } });
    expect(filled.raw).toEqual({ runId: 'r9', podcastId: 'p9' });
    await expect(
      readRunInput({ env: { RUN_ID: 'other', PIPELINE_INPUT: '{"runId":"r1","podcastId":"p"}' } })
    ).rejects.toThrow(/RUN_ID \(other\) does not match input.runId \(r1\)/);
  });

  it('derives a stable runId from the input when none is given', async () => {
    const a = await readRunInput({
      env: { PIPELINE_INPUT: '{"podcastId":"p1","episode":{"date":"2026-11-01"}}' },
    });
    const b = await readRunInput({
      env: { PIPELINE_INPUT: '{"episode":{"date":"2026-11-01"},"podcastId":"p1"}' },
    });
    expect(a.runId).toMatch(/^p1-[0-9a-f]{12}$/);
    expect(b.runId).toBe(a.runId);
  });

  it.each([
    [{ env: { PIPELINE_INPUT: '{"runId": ' } }, /PIPELINE_INPUT is not valid JSON/],
    [{ env: { PIPELINE_INPUT: '[1,2]' } }, /must hold a JSON object/],
    [{ env: {} }, /no run input/],
    [{ env: { PIPELINE_INPUT: '{"runId":"r"}' } }, /input.podcastId: required/],
    [{ file: path.join(tmp, 'missing.json'), env: {} }, /cannot read input file .*ENOENT/],
  ])('names the problem with bad input %#', async (sources, message) => {
    const error = await readRunInput(sources).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('parseCliArgs', () => {
  it('refuses an input file next to --resume (the stored input is what reruns)', () => {
    expect(() => parseCliArgs(['--resume', 'r1', 'run.json'])).toThrow(
      '--resume reruns a stored run with its stored input; it takes no input file (got run.json)'
    );
  });

  it('parses options and one positional input file', () => {
    expect(
      parseCliArgs([
        'run.json',
        '--json',
        '--podcast',
        'a.json',
        '--podcast',
        'b.json',
        '--mode',
        'distributed',
      ])
    ).toMatchObject({
      inputFile: 'run.json',
      json: true,
      podcastFiles: ['a.json', 'b.json'],
      mode: 'distributed',
    });
  });

  it.each([[['--mode', 'cloud']], [['--bogus']], [['a.json', 'b.json']], [['--podcast']]])(
    'rejects %j',
    (argv) => {
      expect(() => parseCliArgs(argv)).toThrow(ValidationError);
    }
  );
});

describe('readRunInput: limits (64 KiB, no __proto__/constructor/prototype keys)', () => {
  const big = JSON.stringify({ podcastId: 'p1', episode: { title: 'x'.repeat(10 * 1024 * 1024) } });

  it.each([
    [
      'a file (refused from its size, before it is read)',
      () => ({ file: file('big.json', big), env: {} }),
      /^input file .*big\.json is 10\.0 MiB \(\d+ bytes\), over the 64 KiB cap$/,
    ],
    [
      'PIPELINE_INPUT',
      () => ({ env: { PIPELINE_INPUT: big } }),
      /^PIPELINE_INPUT \(the run input\) is 10\.0 MiB \(\d+ bytes\), over the 64 KiB cap$/,
    ],
    [
      'stdin',
      () => ({ env: {}, stdin: async () => big }),
      /^stdin \(the run input\) is 10\.0 MiB \(\d+ bytes\), over the 64 KiB cap$/,
    ],
  ])('an oversized input from %s', async (_what, sources, message) => {
    const error = await readRunInput(sources()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(message);
    expect((error as ValidationError).field).toBe('input');
  });

  it('readStdin stops reading once stdin is over the cap', async () => {
    let pulled = 0;
    const endless = Readable.from(
      (function* () {
        for (;;) {
          pulled++;
          yield Buffer.alloc(16 * 1024, 0x20);
        }
      })()
    ) as unknown as NodeJS.ReadStream;

    await expect(readStdin(endless)).rejects.toThrow(
      'stdin (the run input) is more than 64 KiB, over the 64 KiB cap'
    );
    expect(pulled).toBeLessThan(10);
  });

  it('an input of exactly 64 KiB is read', async () => {
    const padded = `{"podcastId":"p1"${' '.repeat(64 * 1024 - 18)}}`;
    expect(Buffer.byteLength(padded)).toBe(64 * 1024);

    await expect(readRunInput({ env: { PIPELINE_INPUT: padded } })).resolves.toMatchObject({
      podcastId: 'p1',
    });
  });

  it.each([
    ['{"podcastId":"p1","__proto__":{"isAdmin":true}}', 'input.__proto__'],
    ['{"podcastId":"p1","episode":{"constructor":{"name":"x"}}}', 'input.episode.constructor'],
    ['{"podcastId":"p1","podcast":{"hosts":[{"prototype":{}}]}}', 'input.podcast.hosts.0.prototype'],
  ])('%s: refused naming %s', async (json, path) => {
    const error = await readRunInput({ env: { PIPELINE_INPUT: json } }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe(
      `${path}: the key "${path.split('.').pop()}" is not allowed`
    );
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});
