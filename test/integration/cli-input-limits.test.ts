/**
 * Bad input through the real command (runCommand in-process): exit 2 and one stderr line naming
 * the field or flag, found before anything is written: no local data directory, no output folder,
 * no run record; except input that only prepare's schema refuses, which leaves the one rejected
 * run record, holding its input's size and hash but not the input.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalServers } from '../../containers/orchestrator/local/local-servers';
import { createAwsPersistence } from '../../stages/shared/adapters/aws/create-aws-persistence';
import { sha256 } from '../../stages/shared/hashing';
import { EXAMPLE_DIR, runCli } from '../helpers/run-cli';

jest.setTimeout(60_000);

const podcastFile = path.join(EXAMPLE_DIR, 'podcast.json');
let work: string;
let n = 0;
/** A fresh data dir and output dir per case, so "nothing was created" can be checked. */
const dirs = () => {
  n++;
  return { dataDir: path.join(work, `data-${n}`), outputDir: path.join(work, `out-${n}`) };
};
const flags = (d: { dataDir: string; outputDir: string }) => [
  '--data-dir',
  d.dataDir,
  '--output-dir',
  d.outputDir,
];
const file = async (name: string, content: string) => {
  const p = path.join(work, name);
  await writeFile(p, content);
  return p;
};

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'cli-input-limits-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function oneErrorLine(outcome: { code: number; stdout: string; stderr: string }): string {
  expect(outcome.code).toBe(2);
  expect(outcome.stdout).toBe('');
  const lines = outcome.stderr.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  return lines[0] as string;
}

function nothingWritten(d: { dataDir: string; outputDir: string }) {
  expect(existsSync(d.dataDir)).toBe(false);
  expect(existsSync(d.outputDir)).toBe(false);
}

describe('refused before anything is written', () => {
  it('a run input over 64 KiB (a 10 MB title in PIPELINE_INPUT)', async () => {
    const d = dirs();
    const input = JSON.stringify({
      podcastId: 'tech-weekly',
      episode: { title: 't'.repeat(10 * 1024 * 1024) },
    });

    const line = oneErrorLine(
      await runCli(['--podcast', podcastFile, ...flags(d)], { env: { PIPELINE_INPUT: input } })
    );

    expect(line).toBe(
      `error: PIPELINE_INPUT (the run input) is 10.0 MiB (${Buffer.byteLength(input)} bytes), over the 64 KiB cap`
    );
    nothingWritten(d);
  });

  it('an input file over 64 KiB', async () => {
    const d = dirs();
    const big = await file(
      'big-run.json',
      JSON.stringify({ podcastId: 'tech-weekly', pad: 'x'.repeat(70_000) })
    );

    expect(oneErrorLine(await runCli([big, ...flags(d)]))).toMatch(
      /^error: input file .*big-run\.json is 68\.\d KiB \(\d+ bytes\), over the 64 KiB cap$/
    );
    nothingWritten(d);
  });

  it('a __proto__ key on stdin, naming its path', async () => {
    const d = dirs();

    const line = oneErrorLine(
      await runCli(flags(d), {
        stdin: '{"podcastId":"tech-weekly","episode":{"__proto__":{"date":"2026-01-01"}}}',
      })
    );

    expect(line).toBe('error: input.episode.__proto__: the key "__proto__" is not allowed');
    nothingWritten(d);
  });

  it.each([
    ['null', 'null'],
    ['[]', 'an array'],
    ['7', 'a number'],
  ])('a --podcast file holding %s, naming the file', async (json, what) => {
    const d = dirs();
    const p = await file(`podcast-${n}.json`, json);

    expect(
      oneErrorLine(await runCli(['--podcast', p, ...flags(d)], { stdin: '{"podcastId":"tech-weekly"}' }))
    ).toBe(`error: podcast config ${p} must hold a JSON object, not ${what}`);
    nothingWritten(d);
  });

  it('a --podcast file with a constructor key, and one with a control character in its title, naming the field', async () => {
    const example = JSON.parse(await readFile(podcastFile, 'utf8')) as Record<string, unknown>;
    const withKey = await file(
      'with-key.json',
      JSON.stringify({ ...example, style: { constructor: { x: 1 } } })
    );
    const withBell = await file('with-bell.json', JSON.stringify({ ...example, title: 'Tech\u0007Weekly' }));
    const d = dirs();

    expect(
      oneErrorLine(
        await runCli(['--podcast', withKey, ...flags(d)], { stdin: '{"podcastId":"tech-weekly"}' })
      )
    ).toBe('error: podcast config with-key.json.style.constructor: the key "constructor" is not allowed');
    expect(
      oneErrorLine(
        await runCli(['--podcast', withBell, ...flags(d)], { stdin: '{"podcastId":"tech-weekly"}' })
      )
    ).toMatch(
      /^error: podcast config with-bell\.json\.title: character U\+0007 at position 5 is not allowed/
    );
    nothingWritten(d);
  });

  it('an --output-dir that is a file, or lies under one, naming --output-dir', async () => {
    const d = dirs();
    const existing = await file('not-a-folder', 'x');

    const direct = oneErrorLine(
      await runCli([
        '--podcast',
        podcastFile,
        path.join(EXAMPLE_DIR, 'run.json'),
        '--data-dir',
        d.dataDir,
        '--output-dir',
        existing,
      ])
    );
    const below = oneErrorLine(
      await runCli([
        '--podcast',
        podcastFile,
        path.join(EXAMPLE_DIR, 'run.json'),
        '--data-dir',
        d.dataDir,
        '--output-dir',
        path.join(existing, 'episodes'),
      ])
    );

    expect(direct).toBe(`error: --output-dir ${existing} is a file, not a folder`);
    expect(below).toBe(
      `error: --output-dir ${path.join(existing, 'episodes')}: ${existing} is a file, not a folder`
    );
    expect(existsSync(d.dataDir)).toBe(false);
  });

  it('a --data-dir that is a file, naming --data-dir', async () => {
    const existing = await file('data-file', 'x');

    expect(
      oneErrorLine(
        await runCli(['--data-dir', existing, '--output-dir', path.join(work, 'unused')], {
          stdin: '{"podcastId":"tech-weekly"}',
        })
      )
    ).toBe(`error: --data-dir ${existing} is a file, not a folder`);
  });
});

describe('refused by prepare (the schema): one rejected run record, without the input', () => {
  it('a control character in episode.title: exit 2 naming the field; the record keeps size and hash; --resume refuses it', async () => {
    const d = dirs();
    const input = JSON.stringify({
      runId: 'r-control',
      podcastId: 'tech-weekly',
      episode: { date: '2026-11-23', title: 'Hi \u001b]0;owned\u0007' },
    });

    const line = oneErrorLine(await runCli(['--podcast', podcastFile, ...flags(d)], { stdin: input }));
    const resumed = oneErrorLine(await runCli(['--resume', 'r-control', ...flags(d)]));

    expect(line).toMatch(/^error: input\.episode\.title: character U\+001B at position 4 is not allowed/);
    expect(resumed).toMatch(
      /^error: --resume: run "r-control" was rejected \(input\.episode\.title: .*\); its input was not kept/
    );
    expect(existsSync(d.outputDir)).toBe(false);
    const servers = await startLocalServers({ dataDir: d.dataDir, quiet: true });
    try {
      const run = await createAwsPersistence(servers.env).runs.get('r-control');
      expect(run).toMatchObject({
        status: 'failed',
        input: null,
        rejectedInput: { bytes: Buffer.byteLength(input), sha256: sha256(input) },
        error: { stage: 'prepare', name: 'ValidationError' },
      });
      expect(JSON.stringify(run)).not.toContain('owned');
    } finally {
      await servers.stop();
    }
  });
});
