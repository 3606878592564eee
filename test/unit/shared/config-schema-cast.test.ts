/**
 * Who speaks and in what language, in a podcast config: one to four hosts, a language every
 * provider can speak and write, and a host's voice settings left to their voice slot unless set.
 */
import { podcastConfigInputSchema } from '../../../stages/shared/config-schema';
import { describeIssues } from '../../../stages/shared/validation';
import { podcastConfig } from '../../fixtures/podcast-config';

/** The first problem of a config with these fields changed, as parseOrThrow would word it. */
function problem(overrides: Record<string, unknown>): string | undefined {
  const result = podcastConfigInputSchema.safeParse({ ...podcastConfig(), ...overrides });
  return result.success ? undefined : describeIssues(result.error, 'podcast').message;
}

const host = (id: string) => ({ id, name: id.toUpperCase() });

describe('podcast config: hosts', () => {
  it('takes one host (a solo show) up to four (a panel)', () => {
    for (const count of [1, 2, 3, 4])
      expect(problem({ hosts: ['ava', 'ben', 'cleo', 'dan'].slice(0, count).map(host) })).toBeUndefined();
  });

  it('refuses no host and a fifth host, naming the field', () => {
    expect(problem({ hosts: [] })).toBe('podcast.hosts: a podcast needs at least one host');
    expect(problem({ hosts: ['a', 'b', 'c', 'd', 'e'].map(host) })).toBe(
      'podcast.hosts: a podcast has at most four hosts (one to four voices)'
    );
  });

  it('refuses two hosts with one name (case, spacing, fullwidth and look-alike letters ignored), naming the field and the fix', () => {
    for (const second of ['Ava', 'ava', ' AVA ', 'A va', 'Ａｖａ', 'Av\u0430'])
      expect(
        problem({
          hosts: [
            { id: 'ava', name: 'Ava' },
            { id: 'ben', name: second },
          ],
        })
      ).toBe(
        `podcast.hosts.1.name: host name "${second}" is the name of hosts.0.name "Ava" (names are compared ignoring case and spaces); give each host a different name, since scripts and show notes tell hosts apart by name`
      );
    expect(
      problem({
        hosts: [
          { id: 'ava', name: 'Ava Lee' },
          { id: 'ben', name: 'Ben' },
          { id: 'cleo', name: 'ava lee' },
        ],
      })
    ).toMatch(/^podcast\.hosts\.2\.name: host name "ava lee" is the name of hosts\.0\.name "Ava Lee"/);
    expect(
      problem({
        hosts: [
          { id: 'ava', name: 'Ava' },
          { id: 'ben', name: 'Ava B' },
        ],
      })
    ).toBeUndefined();
  });

  it('leaves voice settings unset unless the config sets them (the voice slot fills them in)', () => {
    const [solo] = podcastConfig({ hosts: [host('ava')] }).hosts;
    const [pinned] = podcastConfig({ hosts: [{ ...host('ava'), voice: { pitch: 20 } }] }).hosts;

    expect(solo?.voice).toEqual({});
    expect(pinned?.voice).toEqual({ pitch: 20 });
    expect(problem({ hosts: [{ ...host('ava'), voice: { pitch: 100 } }] })).toMatch(
      /^podcast\.hosts\.0\.voice\.pitch: /
    );
  });
});

describe('podcast config: language', () => {
  it('takes English, German, French and Spanish, with or without a region', () => {
    for (const language of ['en', 'en-us', 'en-GB', 'de', 'de-at', 'fr', 'fr-ca', 'es', 'es-mx'])
      expect(problem({ language })).toBeUndefined();
    expect(podcastConfig().language).toBe('en-us');
  });

  it('refuses a language no provider speaks, naming the field and the supported ones', () => {
    expect(problem({ language: 'it' })).toBe(
      'podcast.language: "it" is not a language the podcast\'s providers can speak and write; supported: en (English), de (German), fr (French), es (Spanish), each with an optional region such as en-us, en-gb, de-at or es-mx'
    );
    expect(problem({ language: 'pt-br' })).toMatch(/^podcast\.language: "pt-br" is not a language/);
  });

  it('takes the regions each language is spoken in, in either case', () => {
    for (const language of ['en-au', 'en-IE', 'en-uk', 'de-ch', 'de-DE', 'fr-be', 'es-us', 'es-AR'])
      expect(problem({ language })).toBeUndefined();
  });

  it('refuses a region the language is not spoken in, naming the field and the regions it takes', () => {
    expect(problem({ language: 'en-zz' })).toBe(
      'podcast.language: "en-zz": "zz" is not a region English is spoken in that the podcast supports; use en or one of en-us, en-gb, en-uk, en-au, en-ca, en-ie, en-in, en-nz, en-za'
    );
    expect(problem({ language: 'de-XX' })).toMatch(
      /^podcast\.language: "de-XX": "xx" is not a region German is spoken in .*; use de or one of de-de, de-at, de-ch/
    );
    expect(problem({ language: 'fr-mx' })).toMatch(
      /^podcast\.language: "fr-mx": "mx" is not a region French/
    );
    expect(problem({ language: 'es-gb' })).toMatch(
      /^podcast\.language: "es-gb": .*; use es or one of es-es, es-mx/
    );
  });

  it('refuses what is not a language tag at all, and names the fix for one written another way', () => {
    expect(problem({ language: 'German' })).toBe(
      'podcast.language: "German": language must be an ISO 639-1 code with an optional region, e.g. en-us or de'
    );
    expect(problem({ language: 'de_DE' })).toMatch(
      /^podcast\.language: "de_DE": language must be an ISO 639-1 code/
    );
    expect(problem({ language: 'EN-GB' })).toBe(
      'podcast.language: "EN-GB": write the language code in lower case ("en-gb")'
    );
    expect(problem({ language: 'es-419' })).toMatch(
      /^podcast\.language: "es-419": numeric regions are not supported; use es or one of es-es, es-mx/
    );
  });
});
