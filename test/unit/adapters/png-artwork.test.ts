import {
  CELL_WIDTH,
  glyph,
  layoutText,
  LINE_HEIGHT,
  lineWidth,
  normaliseText,
  wrapText,
} from '../../../stages/shared/adapters/offline/bitmap-font';
import {
  hslToRgb,
  paletteFor,
  PngArtworkRenderer,
} from '../../../stages/shared/adapters/offline/png-artwork';
import { FatalStageError } from '../../../stages/shared/errors';

interface DecodedPng {
  width: number;
  height: number;
  data: Buffer;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(body: Buffer): DecodedPng } } };

function pixel(png: DecodedPng, x: number, y: number): number[] {
  const i = (y * png.width + x) * 4;
  return [png.data[i] ?? -1, png.data[i + 1] ?? -1, png.data[i + 2] ?? -1];
}

/** Share of pure-white pixels in rows [top, bottom): where the text is drawn. */
function whiteShare(png: DecodedPng, top: number, bottom: number): number {
  let white = 0;
  for (let y = top; y < bottom; y++) {
    for (let x = 0; x < png.width; x++) if (pixel(png, x, y).every((c) => c === 255)) white++;
  }
  return white / ((bottom - top) * png.width);
}

describe('PngArtworkRenderer', () => {
  const renderer = new PngArtworkRenderer();
  const base = { title: 'Tech Weekly', subtitle: 'Faster databases and open chips', size: 1400 };

  it('draws a square 1400x1400 PNG that pngjs decodes, with the title in white', async () => {
    // Act
    const art = await renderer.render({ ...base, seed: 'tech-weekly/2026-11-23' });

    // Assess
    const png = PNG.sync.read(art.body);
    expect(art.contentType).toBe('image/png');
    expect([png.width, png.height]).toEqual([1400, 1400]);
    expect(whiteShare(png, 100, 600)).toBeGreaterThan(0.05);
    expect(whiteShare(png, 1300, 1400)).toBe(0);
    // The corners carry the seed's gradient colours, darker than the text.
    expect(pixel(png, 0, 0)).not.toEqual(pixel(png, 1399, 1399));
  });

  it('is deterministic per seed and differs between seeds', async () => {
    const first = await renderer.render({ ...base, seed: 'tech-weekly/2026-11-23' });
    const again = await renderer.render({ ...base, seed: 'tech-weekly/2026-11-23' });
    const other = await renderer.render({ ...base, seed: 'tech-weekly/2026-11-30' });

    expect(first.body.equals(again.body)).toBe(true);
    expect(first.body.equals(other.body)).toBe(false);
    expect(paletteFor('tech-weekly/2026-11-23')).not.toEqual(paletteFor('tech-weekly/2026-11-30'));
  });

  it('draws the text it is given', async () => {
    const small = { ...base, size: 256, seed: 's' };

    const a = await renderer.render(small);
    const b = await renderer.render({ ...small, subtitle: 'Another episode entirely' });

    expect(a.body.equals(b.body)).toBe(false);
  });

  it('refuses sizes outside 64..4096 and an empty title', async () => {
    await expect(renderer.render({ ...base, seed: 's', size: 10 })).rejects.toThrow(FatalStageError);
    await expect(renderer.render({ ...base, seed: 's', size: 512.5 })).rejects.toThrow(
      'artwork size must be an integer from 64 to 4096, got 512.5'
    );
    await expect(renderer.render({ ...base, title: '  ', seed: 's', size: 256 })).rejects.toThrow(
      'artwork: the title is empty'
    );
  });

  it('converts HSL to RGB', () => {
    expect(hslToRgb(0, 1, 0.5)).toEqual([255, 0, 0]);
    expect(hslToRgb(120, 1, 0.25)).toEqual([0, 128, 0]);
    expect(hslToRgb(240, 0, 0.5)).toEqual([128, 128, 128]);
  });
});

describe('bitmap font', () => {
  it('has 5-bit rows for every glyph and draws unknown characters as "?"', () => {
    for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?:;-\'"&/()[]#+%$@*=_<>') {
      const rows = glyph(char);
      expect(rows).toHaveLength(7);
      expect(rows.every((row) => row >= 0 && row < 32)).toBe(true);
    }
    expect(glyph('\u263a')).toBe(glyph('?'));
  });

  it('upper-cases, folds accents and typographic punctuation', () => {
    expect(normaliseText('Caf\u00e9 in S\u00e3o Paulo \u2014 \u201cnew\u201d\u2026 \u263a')).toBe(
      'CAFE IN SAO PAULO - "NEW"... ?'
    );
  });

  it('wraps words to the line length, splitting words that do not fit', () => {
    expect(wrapText('THE QUICK BROWN FOX', 10)).toEqual(['THE QUICK', 'BROWN FOX']);
    expect(wrapText('A SUPERCALIFRAGILISTIC WORD', 8)).toEqual(['A', 'SUPERCAL', 'IFRAGILI', 'STIC', 'WORD']);
  });

  it('picks the largest scale whose wrapped lines fit the box', () => {
    const layout = layoutText('Tech Weekly', 1176, 560, 4, 24);

    expect(layout.lines).toEqual(['TECH', 'WEEKLY']);
    expect(layout.scale).toBe(24);
    expect(layout.width).toBe(lineWidth('WEEKLY', 24));
    expect(layout.height).toBe(2 * LINE_HEIGHT * 24 - 3 * 24);
    const long = layoutText(
      'A title that goes on and on about many different things in the news',
      400,
      100,
      3,
      20
    );
    expect(long.lines.length).toBeLessThanOrEqual(3);
    expect(Math.max(...long.lines.map((l) => l.length)) * CELL_WIDTH * long.scale).toBeLessThanOrEqual(
      400 + long.scale
    );
    expect(long.height).toBeLessThanOrEqual(100);
  });
});
