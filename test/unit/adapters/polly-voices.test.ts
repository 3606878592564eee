/**
 * Polly's voices by language (polly-voices.ts): four different voices per language and accent,
 * each a voice the SDK knows, chosen by the host's voice slot (never the order of the hosts) and
 * overridden by a host's own pollyVoiceId.
 */
import { VoiceId } from '@aws-sdk/client-polly';
import {
  POLLY_VOICES,
  pollyVoiceFor,
  pollyVoicesFor,
} from '../../../stages/shared/adapters/cloud/polly-voices';
import { hostSchema, type Host } from '../../../stages/shared/config-schema';
import { LANGUAGE_CODES } from '../../../stages/shared/languages';

const PANEL: Host[] = ['ava', 'ben', 'cleo', 'dan'].map((id) => hostSchema.parse({ id, name: id }));

describe('Polly voices by language', () => {
  it('has four different voices the SDK knows for every language and accent', () => {
    const known = new Set<string>(Object.values(VoiceId));
    for (const code of LANGUAGE_CODES) {
      const { default: main, regions } = POLLY_VOICES[code];
      for (const voices of [main, ...Object.values(regions)]) {
        expect(new Set(voices).size).toBe(4);
        for (const voice of voices) expect(known).toContain(voice);
      }
    }
  });

  it('picks the accent from the region of the language tag', () => {
    expect(pollyVoicesFor('en-us')).toEqual(['Matthew', 'Joanna', 'Gregory', 'Ruth']);
    expect(pollyVoicesFor('en')).toEqual(['Matthew', 'Joanna', 'Gregory', 'Ruth']);
    expect(pollyVoicesFor('en-GB')).toEqual(['Brian', 'Amy', 'Arthur', 'Emma']);
    expect(pollyVoicesFor('de-ch')).toEqual(['Daniel', 'Vicki', 'Hannah', 'Sabrina']);
    expect(pollyVoicesFor('fr-ca')[0]).toBe('Liam');
    expect(pollyVoicesFor('es')[0]).toBe('Sergio');
    expect(pollyVoicesFor('es-ar')).toEqual(pollyVoicesFor('es-mx'));
    expect(pollyVoicesFor('es-us')[0]).toBe('Pedro');
  });

  it('gives a panel four distinct voices, the same whatever the hosts order', () => {
    for (const language of ['en-us', 'de', 'fr', 'es-mx']) {
      const voices = PANEL.map((host) => pollyVoiceFor(host, { language, hosts: PANEL }));
      const reordered = PANEL.map((host) => pollyVoiceFor(host, { language, hosts: [...PANEL].reverse() }));

      expect(new Set(voices).size).toBe(4);
      expect(reordered).toEqual(voices);
      expect([...voices].sort()).toEqual([...pollyVoicesFor(language)].sort());
    }
  });

  it("keeps a host's own pollyVoiceId", () => {
    const pinned = hostSchema.parse({ id: 'ava', name: 'Ava', voice: { pollyVoiceId: 'Stephen' } });

    expect(pollyVoiceFor(pinned, { language: 'de', hosts: PANEL })).toBe('Stephen');
  });
});
