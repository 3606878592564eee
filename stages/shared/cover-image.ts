/**
 * What Apple Podcasts asks of cover art, checked on the image's own bytes (never its name or
 * declared type): PNG or JPEG, square, 1400 to 3000 pixels a side, RGB without alpha. Only the
 * headers are read (PNG chunks up to the image data, JPEG markers up to the frame header), so a
 * hostile file costs no decoding.
 */

export const MIN_COVER_SIZE = 1400;
export const MAX_COVER_SIZE = 3000;

export interface CoverImageInfo {
  format: 'png' | 'jpeg';
  contentType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  /** Why the image cannot be cover art, when it cannot. */
  problem?: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG colour types (IHDR byte 9): what each holds. */
const PNG_COLOUR_TYPES: Record<number, string> = {
  0: 'greyscale',
  2: 'RGB',
  3: 'palette (RGB)',
  4: 'greyscale with alpha',
  6: 'RGB with alpha',
};

/** The header facts of a PNG or JPEG image, or undefined when the bytes are neither. */
export function inspectCoverImage(body: Buffer): CoverImageInfo | undefined {
  if (body.length >= 8 && body.subarray(0, 8).equals(PNG_SIGNATURE)) return inspectPng(body);
  if (body.length >= 3 && body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff) return inspectJpeg(body);
  return undefined;
}

function inspectPng(body: Buffer): CoverImageInfo | undefined {
  if (body.length < 33 || body.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  const width = body.readUInt32BE(16);
  const height = body.readUInt32BE(20);
  const colourType = body[25] ?? -1;
  const info: CoverImageInfo = { format: 'png', contentType: 'image/png', width, height };
  const kind = PNG_COLOUR_TYPES[colourType] ?? `colour type ${colourType}`;
  if (colourType !== 2 && colourType !== 3)
    return { ...info, problem: `a PNG in ${kind}, not RGB without alpha` };
  // A tRNS chunk before the image data gives an RGB or palette image transparency.
  for (let at = 8; at + 8 <= body.length;) {
    const length = body.readUInt32BE(at);
    const type = body.toString('ascii', at + 4, at + 8);
    if (type === 'IDAT' || type === 'IEND') break;
    if (type === 'tRNS') return { ...info, problem: 'a PNG with transparency (tRNS), not RGB without alpha' };
    at += 12 + length;
  }
  return info;
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic): they carry the size. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function inspectJpeg(body: Buffer): CoverImageInfo | undefined {
  let at = 2;
  while (at + 4 <= body.length) {
    if (body[at] !== 0xff) return undefined;
    const marker = body[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // image data before any frame header
    const length = body.readUInt16BE(at + 2);
    if (isStartOfFrame(marker)) {
      if (at + 10 > body.length) return undefined;
      const height = body.readUInt16BE(at + 5);
      const width = body.readUInt16BE(at + 7);
      const components = body[at + 9] ?? 0;
      const info: CoverImageInfo = { format: 'jpeg', contentType: 'image/jpeg', width, height };
      if (components === 3) return info;
      const kind = components === 1 ? 'greyscale' : components === 4 ? 'CMYK' : `${components} components`;
      return { ...info, problem: `a JPEG in ${kind}, not RGB` };
    }
    at += 2 + length;
  }
  return undefined;
}

/** Why `info` is not Apple Podcasts cover art (format, colours, shape, size), or undefined when it is. */
export function coverArtProblem(info: CoverImageInfo): string | undefined {
  if (info.problem) return info.problem;
  const { width, height } = info;
  if (width !== height) return `${width}x${height} pixels, not square`;
  if (width < MIN_COVER_SIZE || width > MAX_COVER_SIZE)
    return `${width}x${height} pixels, not ${MIN_COVER_SIZE} to ${MAX_COVER_SIZE} pixels a side`;
  return undefined;
}
