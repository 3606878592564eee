import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type BundleReport,
  bundleEntryPoints,
  DEV_ONLY_EXTERNALS,
  packageName,
  RUNTIME_EXTERNALS,
} from '../../scripts/lib/bundle-entry-points';

const ROOT = path.resolve(__dirname, '../..');

/** The packages of an external list, `@ffmpeg-installer/*` standing for every package of that scope. */
function allowed(specifier: string, list: readonly string[]): boolean {
  const name = packageName(specifier);
  return list.some((entry) => (entry.endsWith('/*') ? name.startsWith(entry.slice(0, -1)) : name === entry));
}

describe('the image bundles', () => {
  let dir: string;
  let report: BundleReport;

  beforeAll(async () => {
    // Prepare: bundle into a folder outside the repository, so node cannot fall back on the
    // repository's node_modules (which has every development dependency).
    dir = await mkdtemp(path.join(tmpdir(), 'bundle-'));
    report = await bundleEntryPoints(path.join(dir, 'dist'), ROOT);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes both entry points with their source maps', () => {
    const files = report.outputs.map((o) => o.file);

    expect(files).toEqual(
      expect.arrayContaining(['orchestrator.js', 'orchestrator.js.map', 'stage-task.js', 'stage-task.js.map'])
    );
  });

  it('leaves to node_modules only the runtime externals, and the lazy local servers to the orchestrator', () => {
    const externals = Object.fromEntries(
      report.outputs.filter((o) => o.file.endsWith('.js')).map((o) => [o.file, o.externals])
    );

    for (const specifier of externals['orchestrator.js'] ?? []) {
      expect([specifier, allowed(specifier, [...RUNTIME_EXTERNALS, ...DEV_ONLY_EXTERNALS])]).toEqual([
        specifier,
        true,
      ]);
    }
    for (const specifier of externals['stage-task.js'] ?? []) {
      expect([specifier, allowed(specifier, RUNTIME_EXTERNALS)]).toEqual([specifier, true]);
    }
  });

  it('starts with production dependencies only (as in the image)', async () => {
    // Prepare: a node_modules holding just the runtime externals, like `npm ci --omit=dev` would
    // (plus nothing from the development dependencies).
    const modules = path.join(dir, 'node_modules');
    await mkdir(path.join(modules, '@ffmpeg-installer'), { recursive: true });
    await symlink(path.join(ROOT, 'node_modules/mespeak'), path.join(modules, 'mespeak'));
    for (const pkg of ['ffmpeg', `${process.platform}-${process.arch}`]) {
      const source = path.join(ROOT, 'node_modules/@ffmpeg-installer', pkg);
      if (existsSync(source)) await symlink(source, path.join(modules, '@ffmpeg-installer', pkg));
    }

    // Act
    const help = spawnSync(process.execPath, ['--enable-source-maps', 'dist/orchestrator.js', '--help'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    const stageTask = spawnSync(process.execPath, ['dist/stage-task.js'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });

    // --mode distributed runs the state machine locally over the embedded servers: with the AWS
    // settings of the image it is refused, with a pointer to start-run.
    const distributed = spawnSync(process.execPath, ['dist/orchestrator.js', '--mode', 'distributed'], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        PODCASTS_TABLE: 'p',
        RUNS_TABLE: 'r',
        EVENTS_TABLE: 'e',
        EPISODES_TABLE: 'ep',
        MEDIA_BUCKET: 'm',
        RSS_BUCKET: 'f',
        PIPELINE_INPUT: JSON.stringify({ runId: 'r1', podcastId: 'tech-weekly' }),
      },
    });

    // Assess
    expect(distributed.status).toBe(2);
    expect(distributed.stderr).toMatch(
      /^error: --mode distributed runs the committed state machine on this machine, over the embedded local servers; with MEDIA_BUCKET set, start the run on the deployed state machine instead/m
    );
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: orchestrator/);
    // Without STAGE_ID the stage task refuses to run; what matters here is that it loaded.
    expect(`${stageTask.stdout}${stageTask.stderr}`).not.toMatch(/Cannot find module|MODULE_NOT_FOUND/);
    expect(stageTask.signal).toBeNull();
  });
});
