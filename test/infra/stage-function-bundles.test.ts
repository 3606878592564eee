/**
 * What each stage Lambda's bundle carries (infra/constructs/lambda-bundling.ts), and two real
 * bundles built with the same esbuild settings: a stage with no providers loads without any
 * provider package, and the tts bundle loads with mespeak shipped beside it, not inlined.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOne, lambdaFunctions, linkRuntimeSdk } from '../../bench/lambda-bundles';
import {
  copyShippedFilesCommands,
  lambdaExternals,
  NEVER_IN_LAMBDA,
  PROVIDER_PACKAGES,
  RUNTIME_SDK_PACKAGES,
  SDK_PLACEMENT,
  shippedFiles,
} from '../../infra/constructs/lambda-bundling';
import { stageBundling } from '../../infra/constructs/stage-function';
import { MESPEAK_VOICE_FILES } from '../../stages/shared/adapters/offline/mespeak-voices';
import { STAGES } from '../../stages/pipeline-plan';
import { PROJECT_ROOT } from './stack-fixture';

describe('lambdaExternals', () => {
  it('leaves every provider package out of a stage with no providers, and ffmpeg out of every Lambda', () => {
    const externals = lambdaExternals([], 'bundled');

    for (const pkg of Object.values(PROVIDER_PACKAGES).flat()) expect(externals).toContain(pkg);
    expect(externals).toEqual(expect.arrayContaining([...NEVER_IN_LAMBDA]));
    expect(externals).not.toContain('@aws-sdk/*');
  });

  it('keeps the packages of the providers a stage uses, except mespeak, which is shipped beside the bundle', () => {
    expect(lambdaExternals(['writer'], 'bundled')).not.toEqual(
      expect.arrayContaining(['@aws-sdk/client-bedrock-runtime'])
    );
    expect(lambdaExternals(['writer'], 'bundled')).not.toContain('@aws-sdk/client-secrets-manager');
    expect(lambdaExternals(['writer'], 'bundled')).toContain('@aws-sdk/client-polly');
    expect(lambdaExternals(['artwork'], 'bundled')).not.toContain('pngjs');
    expect(lambdaExternals(['speech'], 'bundled')).toEqual(
      expect.arrayContaining(['mespeak', 'pngjs', '@aws-sdk/client-bedrock-runtime'])
    );
    expect(lambdaExternals(['speech'], 'bundled')).not.toContain('@aws-sdk/client-polly');
    expect(lambdaExternals(['mixer'], 'bundled')).toContain('@ffmpeg-installer/*');
  });

  it('takes the whole SDK from the runtime in runtime placement', () => {
    expect(lambdaExternals(['writer'], 'runtime')).toEqual(expect.arrayContaining([...RUNTIME_SDK_PACKAGES]));
  });

  it('ships only the mespeak files the speech adapter loads, and copies them with quoted paths', () => {
    expect(shippedFiles(['fetcher'])).toEqual([]);
    expect(shippedFiles(['speech']).map((f) => f.to)).toEqual([
      'node_modules/mespeak/package.json',
      'node_modules/mespeak/src/index.js',
      'node_modules/mespeak/src/ESpeak.js',
      'node_modules/mespeak/src/mespeak_config.json',
      'node_modules/mespeak/voices/en/en-us.json',
      'node_modules/mespeak/voices/en/en.json',
      'node_modules/mespeak/voices/de.json',
      'node_modules/mespeak/voices/fr.json',
      'node_modules/mespeak/voices/es.json',
      'node_modules/mespeak/voices/es-la.json',
    ]);
    // Every voice the speech adapter can load for a podcast language is shipped.
    const shipped = new Set(shippedFiles(['speech']).map((f) => f.to));
    for (const file of Object.values(MESPEAK_VOICE_FILES))
      expect(shipped).toContain(`node_modules/mespeak/${file}`);
    const [first] = copyShippedFilesCommands(['speech'], "/repo's root", '/asset');
    expect(first).toBe(
      "mkdir -p '/asset/node_modules/mespeak' && cp '/repo'\\''s root/node_modules/mespeak/package.json' '/asset/node_modules/mespeak/package.json'"
    );
  });

  it('gives NodejsFunction the externals, the SDK placement and the copy hook', () => {
    const tts = stageBundling(['speech']);

    expect(tts.externalModules).toEqual(lambdaExternals(['speech']));
    expect(tts.bundleAwsSDK).toBe(SDK_PLACEMENT === 'bundled');
    expect(tts.commandHooks?.afterBundling('/in', '/out')).toHaveLength(10);
    expect(stageBundling([]).commandHooks?.afterBundling('/in', '/out')).toEqual([]);
  });
});

describe('stage bundles built with these settings', () => {
  let work: string;
  let runtimeSdk: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'stage-bundles-'));
    runtimeSdk = path.join(work, 'runtime', 'node_modules');
    await linkRuntimeSdk(PROJECT_ROOT, runtimeSdk);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const spec = (id: string) => {
    const fn = lambdaFunctions(PROJECT_ROOT).find((f) => f.id === id);
    if (!fn) throw new Error(`no Lambda ${id}`);
    return fn;
  };
  /** Runs `script` in a plain node process in the bundle's folder, with only the runtime's SDK on NODE_PATH. */
  const nodeIn = (dir: string, script: string) =>
    spawnSync(process.execPath, ['-e', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', NODE_PATH: SDK_PLACEMENT === 'runtime' ? runtimeSdk : '' },
    });

  it('builds a feed bundle that loads with no provider package available', async () => {
    // Prepare
    const feed = spec('feed');
    expect(STAGES.find((s) => s.id === 'feed')?.providers ?? []).toEqual([]);

    // Act
    const built = await buildOne(feed, { name: 'infra', sdk: SDK_PLACEMENT }, PROJECT_ROOT, work);
    const loaded = nodeIn(
      path.dirname(built.outfile),
      `const m=require('./index.js');process.stdout.write(typeof m.handler)`
    );

    // Assess
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout).toBe('function');
    expect(built.result.topInputs.map((t) => t.name)).not.toEqual(expect.arrayContaining(['pngjs']));
    expect(built.result.externals).toEqual(expect.arrayContaining(['mespeak', 'pngjs']));
  });

  it('builds a tts bundle without eSpeak inlined, whose shipped mespeak files synthesize speech', async () => {
    const built = await buildOne(spec('tts'), { name: 'infra', sdk: SDK_PLACEMENT }, PROJECT_ROOT, work);
    const dir = path.dirname(built.outfile);

    const loaded = nodeIn(dir, `const m=require('./index.js');process.stdout.write(typeof m.handler)`);
    const spoken = nodeIn(
      dir,
      [
        "console.warn=()=>{};const m=require('mespeak');",
        "m.loadConfig(require('mespeak/src/mespeak_config.json'));m.loadVoice(require('mespeak/voices/en/en-us.json'));",
        "const wav=Buffer.from(m.speak(' hello',{rawdata:'array'}));",
        "process.stdout.write(JSON.stringify({from:require.resolve('mespeak'),riff:wav.subarray(0,4).toString('latin1'),bytes:wav.length}))",
      ].join('')
    );

    expect(loaded.stdout).toBe('function');
    // eSpeak is not inlined: mespeak is external and none of its files are bundle inputs.
    expect(built.result.externals).toEqual(expect.arrayContaining(['mespeak']));
    expect(built.result.topInputs.map((t) => t.name)).not.toEqual(expect.arrayContaining(['mespeak']));
    expect(built.result.shippedBytes).toBeGreaterThan(1024 * 1024);
    const speech = JSON.parse(spoken.stdout) as { from: string; riff: string; bytes: number };
    expect(speech.from.startsWith(dir)).toBe(true);
    expect(speech.riff).toBe('RIFF');
    expect(speech.bytes).toBeGreaterThan(1000);
  });
});
