/**
 * The offline voices of up to four hosts, in each offline language: clearly distinct (median
 * pitch at least 15% apart for every pair, measured on the synthesized audio), the same from
 * call to call and whatever the order of the hosts in the config, and spoken with the eSpeak
 * voice of the podcast's language.
 */
import { parseWav, peakLevel16 } from '../../../stages/shared/adapters/audio/wav';
import { MespeakSpeech } from '../../../stages/shared/adapters/offline/mespeak-speech';
import {
  DEFAULT_SPEED,
  MESPEAK_VOICE_FILES,
  SLOT_VOICES,
  mespeakVoiceId,
  readVoiceFile,
  voiceFor,
} from '../../../stages/shared/adapters/offline/mespeak-voices';
import { hostSchema, type Host } from '../../../stages/shared/config-schema';
import { voiceSlots } from '../../../stages/shared/voice-cast';
import { medianPitch } from '../../helpers/median-pitch';

/** A sentence per language, long enough for a steady median (about three seconds). */
const SENTENCES = {
  'en-us': 'Welcome back to the show. Today we look at three stories about computing and open source.',
  de: 'Willkommen zurück zur Sendung. Heute sprechen wir über drei Geschichten aus der Welt der Technik.',
  fr: 'Bienvenue dans notre émission. Aujourd’hui, nous parlons de trois histoires sur la technologie.',
  es: 'Bienvenidos de nuevo al programa. Hoy hablamos de tres historias sobre la tecnología.',
} as const;

/** The median pitch of each slot as measured when the palette was chosen (mespeak-voices.ts). */
const DOCUMENTED_HZ: Record<keyof typeof SENTENCES, readonly number[]> = {
  'en-us': [88, 193, 133, 263],
  de: [90, 199, 135, 269],
  fr: [86, 188, 130, 259],
  es: [88, 195, 133, 266],
};

/** Four hosts with nothing about their voice in the config. */
const PANEL: Host[] = ['ava', 'ben', 'cleo', 'dan'].map((id) => hostSchema.parse({ id, name: id }));

describe('the four offline voices', () => {
  it('gives four hosts four different voice slots, whatever their order', () => {
    const slots = voiceSlots(PANEL.map((h) => h.id));
    const reversed = voiceSlots([...PANEL].reverse().map((h) => h.id));

    expect(new Set(slots.values()).size).toBe(4);
    expect([...reversed.entries()].sort()).toEqual([...slots.entries()].sort());
    expect(SLOT_VOICES).toHaveLength(4);
  });

  it.each(Object.keys(SENTENCES) as (keyof typeof SENTENCES)[])(
    'are told apart by pitch and stay the same in %s',
    async (language) => {
      // Prepare: the panel in config order, and the same hosts listed the other way round.
      const speech = new MespeakSpeech({ language, hosts: PANEL });
      const reordered = new MespeakSpeech({ language, hosts: [...PANEL].reverse() });
      const sentence = SENTENCES[language];

      // Act
      const pitches: number[] = [];
      for (const host of PANEL) {
        const first = await speech.speak(sentence, host);
        const again = await speech.speak(sentence, host);
        const other = await reordered.speak(sentence, host);
        const hz = medianPitch(first.wav).medianHz;
        // Assess (stability): the same host sounds the same on a second call and in the other order
        // (the same voice settings; the female variants add a little random breath noise, so the
        // bytes differ while the pitch and the timing do not).
        expect(voiceFor(host, { language, hosts: [...PANEL].reverse() })).toEqual(
          voiceFor(host, { language, hosts: PANEL })
        );
        for (const clip of [again, other]) {
          expect(clip.durationMs).toBe(first.durationMs);
          expect(Math.abs(medianPitch(clip.wav).medianHz - hz) / hz).toBeLessThan(0.02);
        }
        pitches.push(hz);
      }

      // Assess (distinct): every pair of hosts at least 15% apart in median pitch.
      for (const [i, a] of pitches.entries())
        for (const b of pitches.slice(i + 1))
          expect(Math.max(a, b) / Math.min(a, b)).toBeGreaterThanOrEqual(1.15);
      // And each host sounds as its slot was measured (the table in mespeak-voices.ts), within 10%.
      const slots = voiceSlots(PANEL.map((h) => h.id));
      for (const [i, host] of PANEL.entries()) {
        const documented = DOCUMENTED_HZ[language][slots.get(host.id) ?? -1] ?? 0;
        expect(Math.abs((pitches[i] ?? 0) - documented) / documented).toBeLessThan(0.1);
      }
    }
  );

  it('lets a host pin their own pitch, speed and variant', () => {
    const pinned = hostSchema.parse({ id: 'ava', name: 'Ava', voice: { pitch: 12, variant: 'klatt' } });
    const cast = { language: 'de', hosts: PANEL };

    expect(voiceFor(pinned, cast)).toEqual({
      voice: 'de',
      pitch: 12,
      speed: DEFAULT_SPEED,
      variant: 'klatt',
    });
    expect(voiceFor(PANEL[0] as Host, cast)).toEqual({
      voice: 'de',
      speed: DEFAULT_SPEED,
      ...SLOT_VOICES[voiceSlots(PANEL.map((h) => h.id)).get('ava') ?? -1],
    });
  });
});

describe('the offline voice of each language', () => {
  it('maps language tags to the eSpeak voices mespeak ships', () => {
    expect(mespeakVoiceId('en-us')).toBe('en/en-us');
    expect(mespeakVoiceId('en')).toBe('en/en-us');
    expect(mespeakVoiceId('en-gb')).toBe('en/en');
    expect(mespeakVoiceId('de')).toBe('de');
    expect(mespeakVoiceId('de-AT')).toBe('de');
    expect(mespeakVoiceId('fr-ca')).toBe('fr');
    expect(mespeakVoiceId('es')).toBe('es');
    expect(mespeakVoiceId('es-es')).toBe('es');
    expect(mespeakVoiceId('es-mx')).toBe('es-la');
    for (const id of Object.keys(MESPEAK_VOICE_FILES) as (keyof typeof MESPEAK_VOICE_FILES)[])
      expect(readVoiceFile(id)).toMatchObject({ voice_id: id });
  });

  it('speaks each language with its own voice: real audio, different from the other languages', async () => {
    // Prepare: one host with a male variant (byte-for-byte deterministic), one line every voice can read.
    const dan = PANEL[3] as Host;
    expect(voiceFor(dan, { language: 'en-us', hosts: [dan] }).variant).toBe('m3');
    const line = 'Tech Weekly, 2026: 23 stories, 4 hosts.';
    const tags = ['en-us', 'en-gb', 'de', 'fr', 'es', 'es-mx'];

    // Act
    const clips = new Map<string, Buffer>();
    for (const language of tags)
      clips.set(language, (await new MespeakSpeech({ language, hosts: [dan] }).speak(line, dan)).wav);
    const austrian = await new MespeakSpeech({ language: 'de-at', hosts: [dan] }).speak(line, dan);

    // Assess: non-silent 22.05 kHz speech, every language sounding different, a region of the same voice alike.
    for (const wav of clips.values()) {
      expect(parseWav(wav)).toMatchObject({ sampleRate: 22050, channels: 1, bitsPerSample: 16 });
      expect(parseWav(wav).durationMs).toBeGreaterThan(1500);
      expect(peakLevel16(wav)).toBeGreaterThan(0.2);
      expect(medianPitch(wav).voicedFrames).toBeGreaterThan(10);
    }
    const distinct = new Set([...clips.values()].map((wav) => wav.toString('base64')));
    expect(distinct.size).toBe(tags.length);
    expect(austrian.wav.equals(clips.get('de') as Buffer)).toBe(true);
  });
});
