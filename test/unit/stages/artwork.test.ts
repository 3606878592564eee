import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCore } from '../../helpers/run-core';
import { artworkStage, formatEpisodeDate, subtitleFor } from '../../../stages/artwork/artwork';
import { coverArtProblem, inspectCoverImage } from '../../../stages/shared/cover-image';
import type { ArtworkManifest } from '../../../stages/artwork/schema';
import { showCoverSubtitle } from '../../../stages/artwork/show-cover';
import { DEFAULT_FETCH_POLICY } from '../../../stages/shared/adapters/fetch/fetch-policy';
import { UrlFetcher } from '../../../stages/shared/adapters/fetch/url-fetcher';
import { PngArtworkRenderer } from '../../../stages/shared/adapters/offline/png-artwork';
import { FatalStageError, RetryableStageError } from '../../../stages/shared/errors';
import type { ArtworkRenderer, Fetcher } from '../../../stages/shared/providers';
import { showCoverKey } from '../../../stages/shared/public-urls';
import { parseOrThrow } from '../../../stages/shared/validation';
import { audioWorld, podcastConfig, RUN_ID, shortScript, stageContext, stageInput } from './audio-fixtures';

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

/**
 * The headers of a PNG (signature, IHDR with the size and colour type, an optional tRNS, an empty
 * IDAT, IEND; CRCs left zero): all a check reads, without encoding megapixels in a test.
 */
function pngHeader(width: number, height: number, colourType = 2, transparency = false): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, 'ascii'), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colourType;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(transparency ? [chunk('tRNS', Buffer.from([0, 0, 0, 0, 0, 0]))] : []),
    chunk('IDAT', Buffer.alloc(0)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The headers of a JPEG (SOI, APP0, SOF0 with the size and component count, SOS): all a check reads. */
function jpegHeader(width: number, height: number, components = 3): Buffer {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof = [0xff, 0xc0, 0x00, 8 + 3 * components, 8, height >> 8, height & 255, width >> 8, width & 255];
  sof.push(components, ...Array.from({ length: components }, (_, i) => [i + 1, 0x11, 0]).flat());
  return Buffer.from([0xff, 0xd8, ...app0, ...sof, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9]);
}

/** A fetcher that serves fixed bodies by URL and records what it was asked. */
function fakeFetcher(bodies: Record<string, Buffer | Error>): Fetcher & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    readsLocalFiles: false,
    async fetch(url, request) {
      asked.push(`${request.kind} ${url}`);
      const body = bodies[url];
      if (body instanceof Error) throw body;
      if (!body) throw new FatalStageError(`GET ${url}: 404`);
      return { url, body };
    },
  };
}

const ARTWORK_URL = 'https://img.example.com/tech-weekly/cover.png';

async function runArtwork(world: Awaited<ReturnType<typeof audioWorld>>) {
  return (await runCore(artworkStage, stageInput(world), stageContext(world))) as ArtworkManifest;
}

describe('artwork stage: the episode cover', () => {
  it('renders a 1400x1400 RGB PNG cover with the podcast title and the episode title', async () => {
    // Prepare
    const artwork = new SpyRenderer();
    const world = await audioWorld({ artwork });

    // Act
    const manifest = await runArtwork(world);

    // Assess
    expect(artworkStage.outputSchema.parse(manifest)).toEqual(manifest);
    const stored = world.deps.media.objects.get(`runs/${RUN_ID}/artwork/cover.png`);
    expect(manifest).toMatchObject({
      key: `runs/${RUN_ID}/artwork/cover.png`,
      contentType: 'image/png',
      width: 1400,
      height: 1400,
      bytes: stored?.body.length,
    });
    expect(stored?.contentType).toBe('image/png');
    const png = PNG.sync.read(stored?.body ?? Buffer.alloc(0));
    expect([png.width, png.height]).toEqual([1400, 1400]);
    const info = inspectCoverImage(stored?.body ?? Buffer.alloc(0));
    expect(info && coverArtProblem(info)).toBeUndefined();
    expect(artwork.calls[0]).toEqual({
      title: 'Tech Weekly',
      subtitle: 'Faster databases',
      seed: 'tech-weekly/2026-11-23',
      size: 1400,
    });
  });

  it('gives each episode its own cover, and the same episode the same cover', async () => {
    const monday = await audioWorld({ artwork: new PngArtworkRenderer() });
    const again = await audioWorld({ artwork: new PngArtworkRenderer() });
    const tuesday = await audioWorld({ artwork: new PngArtworkRenderer(), date: '2026-11-24' });

    const covers = [];
    for (const world of [monday, again, tuesday]) {
      const manifest = await runArtwork(world);
      covers.push(world.deps.media.objects.get(manifest.key)?.body ?? Buffer.alloc(0));
    }

    expect(covers[0]?.equals(covers[1]!)).toBe(true);
    expect(covers[0]?.equals(covers[2]!)).toBe(false);
  });

  it('uses the date as subtitle when the episode title is just the podcast title', async () => {
    const artwork = new SpyRenderer();
    const world = await audioWorld({ artwork, script: shortScript({ episodeTitle: 'TECH WEEKLY' }) });

    await runArtwork(world);

    expect(artwork.calls[0]?.subtitle).toBe('23 November 2026');
    expect(subtitleFor('Chips', 'Tech Weekly', '2026-01-05')).toBe('Chips');
    expect(formatEpisodeDate('2026-01-05')).toBe('5 January 2026');
    expect(formatEpisodeDate('not a date')).toBe('not a date');
  });

  it('rejects what a renderer returns that is not square RGB cover art of 1400-3000 px', async () => {
    const wide = await new PngArtworkRenderer().render({ title: 'x', subtitle: '', seed: 's', size: 64 });
    wide.body.writeUInt32BE(128, 16);
    const renderers: [ArtworkRenderer, string][] = [
      [
        { render: async () => ({ body: Buffer.from('GIF89a....'), contentType: 'image/png' }) },
        'artwork renderer returned image/png that is not a PNG',
      ],
      [{ render: async () => wide }, 'artwork must be square, the renderer drew 128x64'],
      [
        { render: async () => ({ body: pngHeader(1000, 1000), contentType: 'image/png' }) },
        'the episode cover the renderer drew is 1000x1000 pixels, not 1400 to 3000 pixels a side',
      ],
      [
        { render: async () => ({ body: pngHeader(1400, 1400, 6), contentType: 'image/png' }) },
        'the episode cover the renderer drew is a PNG in RGB with alpha, not RGB without alpha',
      ],
      [
        { render: async () => ({ body: pngHeader(1400, 1400), contentType: 'image/jpeg' }) },
        'artwork renderer returned a png image labelled image/jpeg',
      ],
    ];
    for (const [artwork, message] of renderers) {
      const world = await audioWorld({ artwork });
      const attempt = runArtwork(world);
      await expect(attempt).rejects.toThrow(FatalStageError);
      await expect(attempt).rejects.toThrow(message);
    }
  });

  it('names the missing manifest when the input has no script', async () => {
    const world = await audioWorld({ artwork: new PngArtworkRenderer() });
    delete world.stages.script;

    expect(() => parseOrThrow(artworkStage.inputSchema, stageInput(world), 'input')).toThrow(
      'input.stages.script'
    );
  });
});

describe('artwork stage: the show cover', () => {
  it('draws the show cover from the title (and author), never an episode headline, under its public key', async () => {
    // Prepare
    const artwork = new SpyRenderer();
    const podcast = podcastConfig({ author: 'Example Media' });
    const world = await audioWorld({ artwork, podcast });

    // Act
    const manifest = await runArtwork(world);

    // Assess
    const key = showCoverKey(podcast);
    expect(key).toMatch(/^podcasts\/tech-weekly\/cover-[0-9a-f]{16}\.png$/);
    expect(manifest.showCover).toEqual({ key, contentType: 'image/png', source: 'drawn' });
    expect(artwork.calls).toHaveLength(2);
    expect(artwork.calls[1]).toEqual({
      title: 'Tech Weekly',
      subtitle: 'Example Media',
      seed: 'tech-weekly#show',
      size: 1400,
    });
    const stored = world.deps.media.objects.get(key);
    expect(stored?.contentType).toBe('image/png');
    // Its key changes with what it is made from, and it is never overwritten: cached a year.
    expect(stored?.cacheControl).toBe('public, max-age=31536000, immutable');
    const info = inspectCoverImage(stored!.body);
    expect(info).toMatchObject({ format: 'png', width: 1400, height: 1400 });
    expect(coverArtProblem(info!)).toBeUndefined();
    expect(stored!.body.equals(world.deps.media.objects.get(manifest.key)!.body)).toBe(false);
    expect(showCoverSubtitle({ title: 'Tech Weekly', author: 'tech weekly ' })).toBe('');
  });

  it('draws it once: a later episode finds it, a new title gets a new one', async () => {
    // Prepare
    const artwork = new SpyRenderer();
    const first = await audioWorld({ artwork });
    await runArtwork(first);
    const drawn = first.deps.media.objects.get(showCoverKey(first.podcast))!;
    const later = await audioWorld({ artwork, date: '2026-11-30' });
    const renamed = await audioWorld({ artwork, podcast: podcastConfig({ title: 'Tech Weekly Extra' }) });
    for (const world of [later, renamed]) world.deps.media.objects.set(showCoverKey(first.podcast), drawn);

    // Act
    const again = await runArtwork(later);
    const retitled = await runArtwork(renamed);

    // Assess
    expect(again.showCover).toMatchObject({ key: showCoverKey(first.podcast) });
    expect(artwork.calls.filter((c) => c.seed.endsWith('#show'))).toHaveLength(2);
    expect(retitled.showCover).toMatchObject({ key: showCoverKey(renamed.podcast) });
    expect(retitled.showCover?.key).not.toBe(again.showCover?.key);
    // Found, not written again; the renamed show's is a new object beside the old one.
    expect(later.deps.media.objects.get(showCoverKey(first.podcast))).toBe(drawn);
    expect(renamed.deps.media.objects.get(showCoverKey(first.podcast))).toBe(drawn);
    expect(renamed.deps.media.objects.has(showCoverKey(renamed.podcast))).toBe(true);
  });

  it("publishes the config's artwork after checking it, and draws nothing for the show", async () => {
    // Prepare
    const artwork = new SpyRenderer();
    const image = pngHeader(1500, 1500);
    const fetcher = fakeFetcher({ [ARTWORK_URL]: image });
    const podcast = podcastConfig({ artworkUrl: ARTWORK_URL });
    const world = await audioWorld({ artwork, fetcher, podcast });

    // Act
    const manifest = await runArtwork(world);

    // Assess
    expect(fetcher.asked).toEqual([`image ${ARTWORK_URL}`]);
    expect(manifest.showCover).toEqual({
      key: showCoverKey(podcast),
      contentType: 'image/png',
      source: 'artwork',
    });
    expect(world.deps.media.objects.get(showCoverKey(podcast))?.body.equals(image)).toBe(true);
    expect(world.deps.media.objects.get(showCoverKey(podcast))?.cacheControl).toBe(
      'public, max-age=31536000, immutable'
    );
    expect(artwork.calls.map((c) => c.seed)).toEqual(['tech-weekly/2026-11-23']);
  });

  it('takes a JPEG named .jpg', async () => {
    const url = 'https://img.example.com/tech-weekly/cover.jpg';
    const world = await audioWorld({
      artwork: new PngArtworkRenderer(),
      fetcher: fakeFetcher({ [url]: jpegHeader(3000, 3000) }),
      podcast: podcastConfig({ artworkUrl: url }),
    });

    const manifest = await runArtwork(world);

    expect(manifest.showCover).toMatchObject({ contentType: 'image/jpeg', source: 'artwork' });
    expect(manifest.showCover?.key).toMatch(/\.jpg$/);
    expect(world.deps.media.objects.get(manifest.showCover!.key)?.contentType).toBe('image/jpeg');
  });

  it.each([
    ['too small', pngHeader(1000, 1000), '1000x1000 pixels, not 1400 to 3000 pixels a side'],
    ['not square', pngHeader(1400, 1600), '1400x1600 pixels, not square'],
    ['with alpha', pngHeader(1400, 1400, 6), 'a PNG in RGB with alpha, not RGB without alpha'],
    ['greyscale', pngHeader(1400, 1400, 0), 'a PNG in greyscale, not RGB without alpha'],
    ['transparent', pngHeader(1400, 1400, 3, true), 'a PNG with transparency (tRNS), not RGB without alpha'],
    ['a JPEG named .png', jpegHeader(1400, 1400), 'a JPEG image named as a .png file'],
    ['a CMYK JPEG', jpegHeader(1400, 1400, 4), 'a JPEG in CMYK, not RGB'],
    ['not an image', Buffer.from('<html>not found</html>'), 'neither a PNG nor a JPEG image'],
  ])(
    "refuses the config's artwork when it is %s, naming the field and Apple's rules",
    async (_what, body, problem) => {
      const world = await audioWorld({
        artwork: new PngArtworkRenderer(),
        fetcher: fakeFetcher({ [ARTWORK_URL]: body }),
        podcast: podcastConfig({ artworkUrl: ARTWORK_URL }),
      });

      const attempt = runArtwork(world);

      await expect(attempt).rejects.toThrow(FatalStageError);
      await expect(attempt).rejects.toThrow(
        `podcast.artworkUrl: the image at ${ARTWORK_URL} is ${problem}; Apple Podcasts takes PNG or JPEG cover art, square, 1400 to 3000 pixels a side, RGB without transparency`
      );
      expect(world.deps.media.objects.has(showCoverKey(world.podcast))).toBe(false);
    }
  );

  it('retries when the artwork cannot be fetched for now, and fails when it cannot be fetched at all', async () => {
    const flaky = await audioWorld({
      artwork: new PngArtworkRenderer(),
      fetcher: fakeFetcher({ [ARTWORK_URL]: new RetryableStageError(`GET ${ARTWORK_URL}: 503`) }),
      podcast: podcastConfig({ artworkUrl: ARTWORK_URL }),
    });
    const missing = await audioWorld({
      artwork: new PngArtworkRenderer(),
      fetcher: fakeFetcher({}),
      podcast: podcastConfig({ artworkUrl: ARTWORK_URL }),
    });

    await expect(runArtwork(flaky)).rejects.toThrow(RetryableStageError);
    await expect(runArtwork(missing)).rejects.toThrow(
      `podcast.artworkUrl: cannot read the show's artwork: GET ${ARTWORK_URL}: 404`
    );
  });

  it("reads a local config's artwork file under the fetch policy, inside the config's folder only", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'show-art-'));
    try {
      const show = path.join(dir, 'show');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(show);
      await writeFile(path.join(show, 'cover.png'), pngHeader(1400, 1400));
      await writeFile(path.join(dir, 'outside.png'), pngHeader(1400, 1400));
      const fetcher = new UrlFetcher({ policy: { ...DEFAULT_FETCH_POLICY, fileRoots: [show] } });
      const inside = pathToFileURL(path.join(show, 'cover.png')).href;
      const outside = pathToFileURL(path.join(dir, 'outside.png')).href;
      const ok = await audioWorld({
        artwork: new PngArtworkRenderer(),
        fetcher,
        podcast: podcastConfig({ artworkUrl: inside }),
      });
      const escaping = await audioWorld({
        artwork: new PngArtworkRenderer(),
        fetcher,
        podcast: podcastConfig({ artworkUrl: outside }),
      });

      expect((await runArtwork(ok)).showCover).toMatchObject({ source: 'artwork' });
      expect(ok.deps.media.objects.has(showCoverKey(ok.podcast))).toBe(true);
      await expect(runArtwork(escaping)).rejects.toThrow(/outside the podcast config's folder/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('redoes a checkpoint whose show cover has gone', async () => {
    const world = await audioWorld({ artwork: new PngArtworkRenderer() });
    const manifest = await runArtwork(world);
    const input = artworkStage.inputSchema.parse(stageInput(world));

    expect(await artworkStage.verifyCheckpoint?.(manifest, input, world.deps)).toBeUndefined();
    world.deps.media.objects.delete(manifest.showCover!.key);
    expect(await artworkStage.verifyCheckpoint?.(manifest, input, world.deps)).toBe(
      `the show cover ${manifest.showCover!.key} is missing`
    );
  });
});
