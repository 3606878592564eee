/**
 * Offline cover art: a square PNG drawn pixel by pixel and encoded with pngjs. Everything derives
 * from the seed (podcast id + date), so the same episode always gets the same image: a two-colour
 * diagonal gradient, soft concentric rings, a row of "sound wave" bars, and the podcast title and
 * episode subtitle in an embedded 5x7 bitmap font, word-wrapped and centred.
 */
import { FatalStageError } from '../../errors';
import { sha256 } from '../../hashing';
import type { ArtworkRenderer } from '../../providers';
import {
  glyph,
  GLYPH_HEIGHT,
  GLYPH_WIDTH,
  CELL_WIDTH,
  LINE_HEIGHT,
  layoutText,
  lineWidth,
  type TextLayout,
} from './bitmap-font';

interface PngWriteOptions {
  colorType: number;
  inputColorType: number;
  inputHasAlpha: boolean;
  deflateLevel: number;
  filterType: number;
}

interface PngModule {
  PNG: {
    sync: { write(image: { width: number; height: number; data: Buffer }, options: PngWriteOptions): Buffer };
  };
}

let png: PngModule['PNG'] | undefined;

/**
 * pngjs, loaded on the first render rather than at import: a Lambda bundle for a stage that
 * draws no artwork leaves the package out (infra/constructs/lambda-bundling.ts) and still loads.
 */
function loadPng(): PngModule['PNG'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  png ??= (require('pngjs') as PngModule).PNG;
  return png;
}

/** PNG colour type 2: 8-bit RGB, no alpha (cover art is opaque). */
const COLORTYPE_RGB = 2;
/**
 * PNG filter 1 (Sub): on these horizontal-ish gradients it compresses close to adaptive filtering,
 * and unlike Paeth or adaptive selection it needs no Math.* call per byte (global lookups are slow
 * inside vm contexts such as Jest's).
 */
const FILTER_SUB = 1;

/* Local bindings: per-pixel loops must not look up the global Math object. */
const { floor, sqrt } = Math;

export type Rgb = readonly [number, number, number];

export interface PngArtworkOptions {
  /** zlib level for the PNG (default 6: most of level 9's size at a fraction of the time). */
  deflateLevel?: number;
}

const MIN_SIZE = 64;
const MAX_SIZE = 4096;
const WHITE: Rgb = [255, 255, 255];
const SHADOW: Rgb = [0, 0, 0];

/** A deterministic pseudo-random sequence (mulberry32) seeded from the hash. */
function randomFrom(seedHex: string): () => number {
  let state = parseInt(seedHex.slice(0, 8), 16) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const h = (((hue % 360) + 360) % 360) / 360;
  const q = lightness < 0.5 ? lightness * (1 + saturation) : lightness + saturation - lightness * saturation;
  const p = 2 * lightness - q;
  const channel = (t: number): number => {
    const x = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    if (x < 1 / 6) return p + (q - p) * 6 * x;
    if (x < 1 / 2) return q;
    if (x < 2 / 3) return p + (q - p) * (2 / 3 - x) * 6;
    return p;
  };
  return [
    Math.round(channel(h + 1 / 3) * 255),
    Math.round(channel(h) * 255),
    Math.round(channel(h - 1 / 3) * 255),
  ];
}

/** The two gradient colours for a seed: related hues, dark enough for white text. */
export function paletteFor(seed: string): { from: Rgb; to: Rgb } {
  const hash = sha256(seed);
  const hue = parseInt(hash.slice(0, 4), 16) % 360;
  const shift = 40 + (parseInt(hash.slice(4, 6), 16) % 100);
  const saturation = 0.45 + (parseInt(hash.slice(6, 8), 16) / 255) * 0.35;
  return { from: hslToRgb(hue, saturation, 0.3), to: hslToRgb(hue + shift, saturation, 0.18) };
}

/** Rounds a non-negative channel value (bit arithmetic: far cheaper than Math.round per pixel). */
function toByte(value: number): number {
  return (value + 0.5) | 0;
}

/** An opaque RGB canvas (3 bytes per pixel, rows top to bottom), as PNG colour type 2 stores it. */
class Canvas {
  readonly data: Buffer;
  constructor(readonly size: number) {
    this.data = Buffer.alloc(size * size * 3, 255);
  }

  /** Blends `color` over the pixel with opacity `alpha` (0..1). */
  blend(x: number, y: number, color: Rgb, alpha: number): void {
    if (x < 0 || y < 0 || x >= this.size || y >= this.size) return;
    const i = (y * this.size + x) * 3;
    for (let c = 0; c < 3; c++) {
      const old = this.data[i + c] ?? 0;
      this.data[i + c] = toByte(old + ((color[c] ?? 0) - old) * alpha);
    }
  }

  fillRect(x0: number, y0: number, width: number, height: number, color: Rgb, alpha = 1): void {
    const x1 = Math.min(this.size, Math.round(x0 + width));
    const y1 = Math.min(this.size, Math.round(y0 + height));
    for (let y = Math.max(0, Math.round(y0)); y < y1; y++) {
      for (let x = Math.max(0, Math.round(x0)); x < x1; x++) this.blend(x, y, color, alpha);
    }
  }
}

function paintBackground(canvas: Canvas, seed: string): void {
  const { from, to } = paletteFor(seed);
  const random = randomFrom(sha256(`${seed}#rings`));
  const cx = canvas.size * (0.15 + random() * 0.7);
  const cy = canvas.size * (0.1 + random() * 0.4);
  const ringWidth = canvas.size * (0.03 + random() * 0.04);
  const { size, data } = canvas;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = (x + y) / (2 * (size - 1));
      const dx = x - cx;
      const dy = y - cy;
      const ring = floor(sqrt(dx * dx + dy * dy) / ringWidth) % 2 === 0 ? 0.06 : 0;
      const i = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) {
        const base = (from[c] ?? 0) + ((to[c] ?? 0) - (from[c] ?? 0)) * t;
        data[i + c] = toByte(base + (255 - base) * ring);
      }
    }
  }
}

/** A row of rounded-off bars like a waveform, heights from the seed. */
function paintWaveBars(canvas: Canvas, seed: string): void {
  const random = randomFrom(sha256(`${seed}#wave`));
  const count = 28 + Math.floor(random() * 16);
  const left = canvas.size * 0.08;
  const span = canvas.size * 0.84;
  const pitch = span / count;
  const barWidth = Math.max(1, Math.round(pitch * 0.55));
  const baseline = canvas.size * 0.84;
  const maxHeight = canvas.size * 0.12;
  for (let i = 0; i < count; i++) {
    const envelope = Math.sin((Math.PI * (i + 0.5)) / count);
    const height = Math.max(canvas.size * 0.006, maxHeight * envelope * (0.25 + 0.75 * random()));
    canvas.fillRect(
      left + i * pitch + (pitch - barWidth) / 2,
      baseline - height / 2,
      barWidth,
      height,
      WHITE,
      0.32
    );
  }
}

/** Draws wrapped, centred lines starting at `top`, with a soft shadow for contrast. */
function paintText(canvas: Canvas, layout: TextLayout, top: number): void {
  const { scale } = layout;
  const shadowOffset = Math.max(1, Math.round(scale / 2));
  layout.lines.forEach((line, row) => {
    const left = Math.round((canvas.size - lineWidth(line, scale)) / 2);
    const y0 = Math.round(top + row * LINE_HEIGHT * scale);
    const passes = [
      { color: SHADOW, alpha: 0.45, offset: shadowOffset },
      { color: WHITE, alpha: 1, offset: 0 },
    ];
    for (const { color, alpha, offset } of passes) {
      [...line].forEach((char, col) => {
        const rows = glyph(char);
        for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
          const bits = rows[gy] ?? 0;
          for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
            if (!(bits & (1 << (GLYPH_WIDTH - 1 - gx)))) continue;
            canvas.fillRect(
              left + (col * CELL_WIDTH + gx) * scale + offset,
              y0 + gy * scale + offset,
              scale,
              scale,
              color,
              alpha
            );
          }
        }
      });
    }
  });
}

export class PngArtworkRenderer implements ArtworkRenderer {
  constructor(private readonly options: PngArtworkOptions = {}) {}

  async render(options: {
    title: string;
    subtitle: string;
    seed: string;
    size: number;
  }): Promise<{ body: Buffer; contentType: string }> {
    const { size } = options;
    if (!Number.isInteger(size) || size < MIN_SIZE || size > MAX_SIZE) {
      throw new FatalStageError(
        `artwork size must be an integer from ${MIN_SIZE} to ${MAX_SIZE}, got ${size}`
      );
    }
    if (!options.title.trim()) throw new FatalStageError('artwork: the title is empty');
    const canvas = new Canvas(size);
    paintBackground(canvas, options.seed);
    paintWaveBars(canvas, options.seed);

    const boxWidth = size * 0.84;
    const title = layoutText(
      options.title,
      boxWidth,
      size * 0.4,
      4,
      Math.floor((size * 0.12) / GLYPH_HEIGHT)
    );
    const subtitle = layoutText(
      options.subtitle,
      boxWidth,
      size * 0.16,
      3,
      Math.max(1, Math.floor((size * 0.045) / GLYPH_HEIGHT))
    );
    const gap = subtitle.lines.length > 0 ? size * 0.05 : 0;
    // Centre the title and subtitle block in the area above the wave bars.
    const blockHeight = title.height + gap + subtitle.height;
    const top = Math.max(size * 0.06, (size * 0.7 - blockHeight) / 2);
    paintText(canvas, title, top);
    paintText(canvas, subtitle, top + title.height + gap);

    const body = loadPng().sync.write(
      { width: size, height: size, data: canvas.data },
      {
        colorType: COLORTYPE_RGB,
        inputColorType: COLORTYPE_RGB,
        inputHasAlpha: false,
        deflateLevel: this.options.deflateLevel ?? 6,
        filterType: FILTER_SUB,
      }
    );
    return { body, contentType: 'image/png' };
  }
}
