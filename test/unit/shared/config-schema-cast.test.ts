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

  it('refuses what is not a language tag at all', () => {
    expect(problem({ language: 'German' })).toBe(
      'podcast.language: language must be an ISO 639-1 code with an optional region, e.g. en-us or de'
    );
    expect(problem({ language: 'de_DE' })).toMatch(/^podcast\.language: language must be an ISO 639-1 code/);
  });
});
