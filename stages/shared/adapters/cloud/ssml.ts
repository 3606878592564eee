/**
 * SSML for Amazon Polly: the turn's text escaped for XML inside `<speak>`, with the pauses a
 * writer marks in prose (an ellipsis, a dash between words) spoken as `<break>`s, and long text
 * split into requests Polly accepts.
 *
 * Polly's SynthesizeSpeech limits (Amazon Polly quotas): at most 3,000 billed characters (the text,
 * SSML tags not counted) and 6,000 characters in all per request. Chunks end at sentence
 * boundaries (then word boundaries for a monster sentence), below both limits with a margin.
 */

/** Billed characters per request, with a margin under Polly's 3,000. */
export const MAX_BILLED_CHARS = 2900;
/** Total SSML characters per request, with a margin under Polly's 6,000. */
export const MAX_SSML_CHARS = 5800;

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch);
}

/** Plain text as Polly reads it: control characters and runs of whitespace become one space. */
export function normaliseText(text: string): string {
  return text
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const PAUSES: { pattern: RegExp; ssml: string }[] = [
  { pattern: /\s*(?:\.{3}|\u2026)\s*/g, ssml: '<break time="450ms"/>' },
  { pattern: /\s+[\u2013\u2014-]{1,2}\s+|\u2014/g, ssml: '<break time="250ms"/>' },
];

/** One request's SSML for a chunk of plain text. */
export function toSsml(text: string): string {
  let body = escapeXml(normaliseText(text));
  for (const pause of PAUSES) body = body.replace(pause.pattern, pause.ssml);
  return `<speak>${body}</speak>`;
}

/** What Polly bills for a chunk: its text without the tags. */
export function billedLength(text: string): number {
  return normaliseText(text).replace(/(?:\.{3}|\u2026)/g, '').length;
}

function fits(text: string): boolean {
  return billedLength(text) <= MAX_BILLED_CHARS && toSsml(text).length <= MAX_SSML_CHARS;
}

/** Sentences: terminal punctuation (and closing quotes) followed by whitespace. */
export function splitSentences(text: string): string[] {
  return normaliseText(text)
    .split(/(?<=[.!?]["'\u201d\u2019)]?)\s+/u)
    .filter((s) => s.length > 0);
}

/** Splits a piece that is too long on its own: at spaces, then (no spaces) by characters. */
function splitLong(piece: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of piece.split(' ')) {
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) out.push(current);
    if (fits(word)) {
      current = word;
      continue;
    }
    // A single "word" over the limits (no spaces at all): cut it where it fits.
    let rest = word;
    while (!fits(rest)) {
      let size = Math.min(rest.length, MAX_BILLED_CHARS);
      while (size > 1 && !fits(rest.slice(0, size))) size = Math.floor(size / 2);
      out.push(rest.slice(0, size));
      rest = rest.slice(size);
    }
    current = rest;
  }
  if (current) out.push(current);
  return out;
}

/** The text in chunks Polly accepts, each ending at a sentence boundary where possible. */
export function chunkForPolly(text: string): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const sentence of splitSentences(text)) {
    const candidate = current ? `${current} ${sentence}` : sentence;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) chunks.push(current);
    if (fits(sentence)) {
      current = sentence;
      continue;
    }
    const parts = splitLong(sentence);
    current = parts.pop() ?? '';
    chunks.push(...parts);
  }
  if (current) chunks.push(current);
  return chunks;
}
