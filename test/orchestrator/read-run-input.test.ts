import { parseCliArgs } from '../../containers/orchestrator/cli/cli-args';
import { readRunInput } from '../../containers/orchestrator/cli/read-run-input';
import { ValidationError } from '../../stages/shared/errors';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'read-input-'));
const file = (name: string, text: string) => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('readRunInput', () => {
  it('reads a file argument first, then PIPELINE_INPUT, then stdin', async () => {
    const fromFile = await readRunInput({ file: file('a.json', '{"runId":"r1","podcastId":"p1"}'), env: { PIPELINE_INPUT: '{"podcastId":"p2"}' } });
    expect(fromFile).toMatchObject({ runId: 'r1', podcastId: 'p1' });
    const fromEnv = await readRunInput({ env: { PIPELINE_INPUT: '{"runId":"r2","podcastId":"p2"}' }, stdin: async () => '{"podcastId":"p3"}' });
    expect(fromEnv).toMatchObject({ runId: 'r2', source: 'PIPELINE_INPUT' });
    const fromStdin = await readRunInput({ env: {}, stdin: async () => '{"runId":"r3","podcastId":"p3"}' });
    expect(fromStdin).toMatchObject({ runId: 'r3', source: 'stdin' });
  });

  it('fills runId and podcastId from RUN_ID and PODCAST_ID, and rejects a mismatch', async () => {
    const filled = await readRunInput({ env: { RUN_ID: 'r9', PODCAST_ID: 'p9', PIPELINE_INPUT: '{}' } });
    expect(filled.raw).toEqual({ runId: 'r9', podcastId: 'p9' });
    await expect(readRunInput({ env: { RUN_ID: 'other', PIPELINE_INPUT: '{"runId":"r1","podcastId":"p"}' } })).rejects.toThrow(/RUN_ID \(other\) does not match input.runId \(r1\)/);
  });

  it('derives a stable runId from the input when none is given', async () => {
    const a = await readRunInput({ env: { PIPELINE_INPUT: '{"podcastId":"p1","episode":{"date":"2026-11-01"}}' } });
    const b = await readRunInput({ env: { PIPELINE_INPUT: '{"episode":{"date":"2026-11-01"},"podcastId":"p1"}' } });
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
  it('parses options and one positional input file', () => {
    expect(parseCliArgs(['run.json', '--json', '--podcast', 'a.json', '--podcast', 'b.json', '--mode', 'distributed'])).toMatchObject({
      inputFile: 'run.json',
      json: true,
      podcastFiles: ['a.json', 'b.json'],
      mode: 'distributed',
    });
  });

  it.each([[['--mode', 'cloud']], [['--bogus']], [['a.json', 'b.json']], [['--podcast']]])('rejects %j', (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(ValidationError);
  });
});
