/**
 * Offline speech: mespeak (eSpeak compiled to JavaScript, no system package). One synthesizer per
 * podcast (its VoiceCast): the podcast's language picks the eSpeak voice, and each host speaks
 * with their voice slot's variant and pitch unless their `voice` settings pin them
 * (mespeak-voices.ts), so hosts sound the same every episode and up to four sound distinct.
 *
 * eSpeak runs synchronously; a single very long call aborts the whole Node process (a 66k-char
 * text exhausted V8's array growth), so text is spoken in sentence-aligned chunks and joined.
 */
import { FatalStageError } from '../../errors';
import type { Host } from '../../config-schema';
import type { SpeechSynthesizer, SpokenClip } from '../../providers';
import type { VoiceCast } from '../../voice-cast';
import { joinWavs, parseWav } from '../audio/wav';
import { type MespeakVoiceId, type VoiceSettings, readVoiceFile, voiceFor } from './mespeak-voices';

/** Characters per eSpeak call: far below what breaks it, big enough to keep prosody natural. */
export const MAX_CHUNK_CHARS = 1200;

interface MespeakEngine {
  loadConfig(config: unknown): void;
  loadVoice(voice: unknown): void;
  speak(text: string, args: Record<string, unknown>): ArrayLike<number> | null;
}

let engine: MespeakEngine | undefined;
let utterances = 0;
/** The eSpeak voices the current engine has loaded (a fresh engine starts with none). */
let loadedVoices = new Set<MespeakVoiceId>();

/**
 * mespeak 2.0.2 has an emscripten FS bug it documents itself ("eSpeak breaks ... approx. every
 * 80th call") whose recovery routine is never called: measured here, the ~80th utterance of one
 * engine came out truncated and the next aborted the whole process (V8 "invalid size error").
 * So a fresh engine (its own module instance and emscripten heap; ~130 ms) is loaded every
 * RELOAD_EVERY utterances.
 */
export const RELOAD_EVERY = 32;

/** A new instance of mespeak's entry module (the shared require cache would give the old one). */
function freshMespeakModule(): MespeakEngine {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const nodeModule = require('node:module') as typeof import('node:module') & {
    _nodeModulePaths(dir: string): string[];
  };
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const { dirname } = require('node:path') as typeof import('node:path');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const entry = require.resolve('mespeak');
  const instance = new nodeModule.Module(entry) as InstanceType<typeof nodeModule.Module> & {
    _compile(source: string, filename: string): void;
  };
  instance.filename = entry;
  instance.paths = nodeModule._nodeModulePaths(dirname(entry));
  instance._compile(readFileSync(entry, 'utf8'), entry);
  return instance.exports as MespeakEngine;
}

/**
 * The engine, with its config and `voice` loaded (about 130 ms for a new engine, a few ms for
 * another voice); a new engine every RELOAD_EVERY uses.
 */
function loadEngine(voice: MespeakVoiceId): MespeakEngine {
  if (!engine || utterances >= RELOAD_EVERY) {
    // mespeak announces "Not in browser" through console.warn when it loads in Node; keep the CLI's output clean.
    /* eslint-disable no-console, @typescript-eslint/no-require-imports */
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      const mespeak = engine ? freshMespeakModule() : (require('mespeak') as MespeakEngine);
      mespeak.loadConfig(require('mespeak/src/mespeak_config.json'));
      engine = mespeak;
      loadedVoices = new Set();
      utterances = 0;
    } finally {
      console.warn = warn;
    }
    /* eslint-enable no-console, @typescript-eslint/no-require-imports */
  }
  if (!loadedVoices.has(voice)) {
    engine.loadVoice(readVoiceFile(voice));
    loadedVoices.add(voice);
  }
  utterances++;
  return engine;
}

/** Plain text eSpeak reads well: typographic punctuation to ASCII, whitespace collapsed. */
export function normaliseForSpeech(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201b]/g, "'")
    .replace(/[\u201c\u201d\u201f]/g, '"')
    .replace(/[\u2013\u2014]/g, ', ')
    .replace(/\u2026/g, '...')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Splits text into chunks of at most `max` chars without changing it: each cut is at the last
 * sentence end in the window, else the last clause break, else the last space.
 */
export function chunkText(text: string, max = MAX_CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const cut =
      lastBreak(window, /[.!?]+["')\]]*\s/g, max / 3) ??
      lastBreak(window, /[,;:]\s/g, max / 3) ??
      lastBreak(window, /\s/g, 0) ??
      max;
    chunks.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) chunks.push(rest);
  return chunks;
}

/** End index of the last match of `pattern` in `window` that lies beyond `minIndex`. */
function lastBreak(window: string, pattern: RegExp, minIndex: number): number | undefined {
  let found: number | undefined;
  for (const match of window.matchAll(pattern)) {
    const end = match.index + match[0].length;
    if (end > minIndex && end <= window.length - 1) found = end;
  }
  return found;
}

export class MespeakSpeech implements SpeechSynthesizer {
  readonly name = 'offline';

  /** @param cast the podcast's language and hosts. @default American English, each host placed alone */
  constructor(private readonly cast: VoiceCast = { language: 'en-us', hosts: [] }) {}

  /** Offline synthesis has no usage to report (the port's onUsage is for metered cloud providers). */
  async speak(text: string, host: Host, options: { signal?: AbortSignal } = {}): Promise<SpokenClip> {
    const clean = normaliseForSpeech(text);
    if (!clean) throw new FatalStageError(`speech for host "${host.id}": the text is empty`);
    if (!/[\p{L}\p{N}]/u.test(clean))
      throw new FatalStageError(
        `speech for host "${host.id}": the text has nothing to say ("${clean.slice(0, 40)}")`
      );
    const voice = voiceFor(host, this.cast);
    const mespeak = loadEngine(voice.voice);
    const parts: Buffer[] = [];
    for (const chunk of chunkText(clean)) {
      // eSpeak cannot be interrupted mid-chunk; an aborted unit stops between chunks.
      options.signal?.throwIfAborted();
      parts.push(speakChunk(mespeak, chunk, voice, host.id));
      // eSpeak is synchronous: let timers (heartbeats, progress) run between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const wav = parts.length === 1 ? (parts[0] as Buffer) : joinWavs(parts, `speech for host "${host.id}"`);
    const info = parseWav(wav, `speech for host "${host.id}"`);
    return { wav, sampleRate: info.sampleRate, durationMs: info.durationMs };
  }
}

function speakChunk(mespeak: MespeakEngine, chunk: string, voice: VoiceSettings, hostId: string): Buffer {
  let raw: ArrayLike<number> | null;
  try {
    // A leading space keeps eSpeak's option parser from reading text like "-5 degrees" as a flag.
    raw = mespeak.speak(` ${chunk}`, {
      rawdata: 'array',
      voice: voice.voice,
      pitch: voice.pitch,
      speed: voice.speed,
      variant: voice.variant,
    });
  } catch (error) {
    // eSpeak (emscripten) throws strings such as "exit(1) called".
    const reason = error instanceof Error ? error.message : String(error).split('\n')[0];
    throw new FatalStageError(`speech for host "${hostId}": mespeak failed: ${reason}`);
  }
  if (!raw || raw.length <= 44)
    throw new FatalStageError(`speech for host "${hostId}": mespeak returned no audio`);
  const bytes = Uint8Array.from(raw);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
