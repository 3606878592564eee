import { runCore } from '../../helpers/run-core';
import { artworkStage, formatEpisodeDate, pngDimensions, subtitleFor } from '../../../stages/artwork/artwork';
import type { ArtworkManifest } from '../../../stages/artwork/schema';
import { PngArtworkRenderer } from '../../../stages/shared/adapters/offline/png-artwork';
import { FatalStageError } from '../../../stages/shared/errors';
import type { ArtworkRenderer } from '../../../stages/shared/providers';
import { parseOrThrow } from '../../../stages/shared/validation';
import { audioWorld, RUN_ID, shortScript, stageContext, stageInput } from './audio-fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as {
  PNG: { sync: { read(body: Buffer): { width: number; height: number } } };
};

/** The real renderer, with the options of each call recorded. */
class SpyRenderer implements ArtworkRenderer {
  readonly calls: Parameters<ArtworkRenderer['render']>[0][] = [];
  constructor(private readonly inner: ArtworkRenderer = new PngArtworkRenderer()) {}
  async render(options: Parameters<ArtworkRenderer['render']>[0]) {
    this.calls.push(options);
    return this.inner.render(options);
  }
}

describe('artwork stage', () => {
  it('renders a 1400x1400 PNG cover with the podcast title and the episode title', async () => {
    // Prepare
    const artwork = new SpyRenderer();
    const world = await audioWorld({ artwork });

    // Act
    const manifest = (await runCore(artworkStage, stageInput(world), stageContext(world))) as ArtworkManifest;

    // Assess
    expect(artworkStage.outputSchema.parse(manifest)).toEqual(manifest);
    const stored = world.deps.media.objects.get(`runs/${RUN_ID}/artwork/cover.png`);
    expect(manifest).toEqual({
      key: `runs/${RUN_ID}/artwork/cover.png`,
      contentType: 'image/png',
      width: 1400,
      height: 1400,
      bytes: stored?.body.length,
    });
    expect(stored?.contentType).toBe('image/png');
    const png = PNG.sync.read(stored?.body ?? Buffer.alloc(0));
    expect([png.width, png.height]).toEqual([1400, 1400]);
    expect(artwork.calls).toEqual([
      { title: 'Tech Weekly', subtitle: 'Faster databases', seed: 'tech-weekly/2026-11-23', size: 1400 },
    ]);
  });

  it('gives each episode its own cover, and the same episode the same cover', async () => {
    const monday = await audioWorld({ artwork: new PngArtworkRenderer() });
    const again = await audioWorld({ artwork: new PngArtworkRenderer() });
    const tuesday = await audioWorld({ artwork: new PngArtworkRenderer(), date: '2026-11-24' });

    const covers = [];
    for (const world of [monday, again, tuesday]) {
      const manifest = (await runCore(
        artworkStage,
        stageInput(world),
        stageContext(world)
      )) as ArtworkManifest;
      covers.push(world.deps.media.objects.get(manifest.key)?.body ?? Buffer.alloc(0));
    }

    expect(covers[0]?.equals(covers[1]!)).toBe(true);
    expect(covers[0]?.equals(covers[2]!)).toBe(false);
  });

  it('uses the date as subtitle when the episode title is just the podcast title', async () => {
    const artwork = new SpyRenderer();
    const world = await audioWorld({ artwork, script: shortScript({ episodeTitle: 'TECH WEEKLY' }) });

    await runCore(artworkStage, stageInput(world), stageContext(world));

    expect(artwork.calls[0]?.subtitle).toBe('23 November 2026');
    expect(subtitleFor('Chips', 'Tech Weekly', '2026-01-05')).toBe('Chips');
    expect(formatEpisodeDate('2026-01-05')).toBe('5 January 2026');
    expect(formatEpisodeDate('not a date')).toBe('not a date');
  });

  it('rejects what a renderer returns that is not a square image', async () => {
    const wide = await new PngArtworkRenderer().render({ title: 'x', subtitle: '', seed: 's', size: 64 });
    wide.body.writeUInt32BE(128, 16);
    const lying: ArtworkRenderer = {
      render: async () => ({ body: Buffer.from('GIF89a....'), contentType: 'image/png' }),
    };
    const skewed: ArtworkRenderer = { render: async () => wide };
    const worldA = await audioWorld({ artwork: lying });
    const worldB = await audioWorld({ artwork: skewed });

    await expect(runCore(artworkStage, stageInput(worldA), stageContext(worldA))).rejects.toThrow(
      FatalStageError
    );
    await expect(runCore(artworkStage, stageInput(worldA), stageContext(worldA))).rejects.toThrow(
      'artwork renderer returned image/png that is not a PNG'
    );
    await expect(runCore(artworkStage, stageInput(worldB), stageContext(worldB))).rejects.toThrow(
      'artwork must be square, the renderer drew 128x64'
    );
    expect(pngDimensions(Buffer.from('not a png at all, not at all'))).toBeUndefined();
  });

  it('names the missing manifest when the input has no script', async () => {
    const world = await audioWorld({ artwork: new PngArtworkRenderer() });
    delete world.stages.script;

    expect(() => parseOrThrow(artworkStage.inputSchema, stageInput(world), 'input')).toThrow(
      'input.stages.script'
    );
  });
});
