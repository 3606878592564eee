import { parseWav, peakLevel16, wavData } from '../../../stages/shared/adapters/audio/wav';
import { medianPitch } from '../../helpers/median-pitch';
import {
  chunkText,
  MAX_CHUNK_CHARS,
  MespeakSpeech,
  normaliseForSpeech,
} from '../../../stages/shared/adapters/offline/mespeak-speech';
import { voiceFor } from '../../../stages/shared/adapters/offline/mespeak-voices';
import { hostSchema, type Host } from '../../../stages/shared/config-schema';
import { FatalStageError, ValidationError } from '../../../stages/shared/errors';

const LINE =
  'Welcome back to the show. Today we look at three stories about cloud computing and open source databases.';

function host(fields: Record<string, unknown>): Host {
  return hostSchema.parse({ name: 'Host', ...fields });
}

describe('MespeakSpeech', () => {
  const speech = new MespeakSpeech();

  it('speaks a line as 22.05 kHz mono WAV whose duration matches its header and the word count', async () => {
    // Prepare
    const words = LINE.split(' ').length;

    // Act
    const clip = await speech.speak(
      LINE,
      host({ id: 'ava', voice: { pitch: 60, speed: 170, variant: 'f2' } })
    );

    // Assess
    const info = parseWav(clip.wav);
    expect(speech.name).toBe('offline');
    expect(info).toMatchObject({ audioFormat: 1, sampleRate: 22050, channels: 1, bitsPerSample: 16 });
    expect(clip.sampleRate).toBe(22050);
    expect(clip.durationMs).toBe(info.durationMs);
    const wordsPerMinute = words / (clip.durationMs / 60000);
    expect(wordsPerMinute).toBeGreaterThan(110);
    expect(wordsPerMinute).toBeLessThan(260);
    expect(peakLevel16(clip.wav)).toBeGreaterThan(0.2);
  });

  it('speaks each host with the pitch, speed and variant their config pins', async () => {
    const low = host({ id: 'lead', role: 'lead', voice: { pitch: 40, speed: 160, variant: 'm3' } });
    const high = host({ id: 'co', role: 'co-host', voice: { pitch: 60, speed: 170, variant: 'f2' } });
    const cast = { language: 'en-us', hosts: [low, high] };

    const a = await speech.speak(LINE, low);
    const b = await speech.speak(LINE, high);

    expect(voiceFor(low, cast)).toEqual({ voice: 'en/en-us', pitch: 40, speed: 160, variant: 'm3' });
    expect(voiceFor(high, cast)).toEqual({ voice: 'en/en-us', pitch: 60, speed: 170, variant: 'f2' });
    const [lowHz, highHz] = [medianPitch(a.wav).medianHz, medianPitch(b.wav).medianHz];
    expect(lowHz).toBeGreaterThan(70);
    expect(lowHz).toBeLessThan(140);
    expect(highHz).toBeGreaterThan(1.6 * lowHz);
    // The faster speaker finishes the same line sooner.
    expect(b.durationMs).toBeLessThan(a.durationMs);
  });

  it('is deterministic for the same text and voice', async () => {
    const ben = host({ id: 'ben', voice: { pitch: 35, speed: 160, variant: 'm3' } });

    const first = await speech.speak('Same words, same sound.', ben);
    const second = await speech.speak('Same words, same sound.', ben);

    expect(first.wav.equals(second.wav)).toBe(true);
  });

  it('speaks text longer than one eSpeak call in chunks joined into one clip', async () => {
    const ben = host({ id: 'ben', voice: { pitch: 35, speed: 220, variant: 'm3' } });
    const long = Array.from({ length: 40 }, (_, i) => `This is sentence ${i + 1} of a long turn.`).join(' ');

    const whole = await speech.speak(long, ben);
    const parts = await Promise.all(chunkText(long).map((part) => speech.speak(part, ben)));

    expect(long.length).toBeGreaterThan(MAX_CHUNK_CHARS);
    expect(parts.length).toBe(2);
    expect(wavData(whole.wav).equals(Buffer.concat(parts.map((p) => wavData(p.wav))))).toBe(true);
    expect(Math.abs(whole.durationMs - parts.reduce((sum, p) => sum + p.durationMs, 0))).toBeLessThanOrEqual(
      1
    );
  });

  it('keeps speaking well past the utterance where one mespeak engine used to break (~80)', async () => {
    // Prepare: 100 distinct lines of about 60 characters, as many turns as a long episode has.
    const ava = host({ id: 'ava', role: 'lead' });
    const lines = Array.from(
      { length: 100 },
      (_, i) => `Story number ${i} is about databases, chips and open source.`
    );

    // Act
    const clips = [];
    for (const line of lines) clips.push(await speech.speak(line, ava));

    // Assess: no truncated clip (the symptom before the abort), durations stay in one band.
    const perChar = clips.map((c, i) => c.durationMs / lines[i]!.length);
    expect(Math.min(...perChar)).toBeGreaterThan(0.6 * Math.max(...perChar));
  }, 60_000);

  it('reads text that starts with a dash instead of taking it for an option', async () => {
    const clip = await speech.speak('-5 degrees outside today.', host({ id: 'ava' }));

    expect(clip.durationMs).toBeGreaterThan(800);
  });

  it('rejects empty or unspeakable text and unknown variants', async () => {
    const ava = host({ id: 'ava' });

    await expect(speech.speak('   ', ava)).rejects.toThrow(FatalStageError);
    await expect(speech.speak('   ', ava)).rejects.toThrow('speech for host "ava": the text is empty');
    await expect(speech.speak('... !?', ava)).rejects.toThrow('has nothing to say');
    await expect(
      speech.speak('Hello.', host({ id: 'zed', voice: { pitch: 50, speed: 165, variant: 'robot' } }))
    ).rejects.toThrow(ValidationError);
    await expect(
      speech.speak('Hello.', host({ id: 'zed', voice: { pitch: 50, speed: 165, variant: 'robot' } }))
    ).rejects.toThrow('hosts.zed.voice.variant: unknown mespeak variant "robot"');
  });
});

describe('chunkText and normaliseForSpeech', () => {
  it('cuts at sentence ends within the limit and loses no text', () => {
    const text = 'One two three. Four five six seven. Eight nine ten eleven twelve. Thirteen.';

    const chunks = chunkText(text, 40);

    expect(chunks).toEqual([
      'One two three. Four five six seven.',
      'Eight nine ten eleven twelve. Thirteen.',
    ]);
    expect(chunkText(text, 38)).toEqual([
      'One two three. Four five six seven.',
      'Eight nine ten eleven twelve.',
      'Thirteen.',
    ]);
    expect(chunks.join(' ')).toBe(text);
  });

  it('falls back to clause breaks, then spaces, then a hard cut', () => {
    expect(chunkText('alpha beta, gamma delta epsilon zeta', 20)).toEqual([
      'alpha beta,',
      'gamma delta epsilon',
      'zeta',
    ]);
    expect(chunkText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    expect(chunkText('short', 10)).toEqual(['short']);
  });

  it('turns typographic punctuation into plain text and collapses whitespace', () => {
    expect(normaliseForSpeech('  \u201cIt\u2019s fast\u201d \u2014 really\u2026\n\tyes ')).toBe(
      '"It\'s fast" , really... yes'
    );
  });
});
