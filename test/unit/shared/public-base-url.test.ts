/**
 * A podcast config may leave out publicBaseUrl (the input schema); the resolved config (the strict
 * schema) has it: the config's own, else `<public origin>/podcasts/<podcastId>`.
 */
import { podcastConfigInputSchema, podcastConfigSchema } from '../../../stages/shared/config-schema';
import { ValidationError } from '../../../stages/shared/errors';
import { resolvePublicBaseUrl } from '../../../stages/shared/public-urls';
import { podcastConfig } from '../../fixtures/podcast-config';

/** The fixture's config as a user may write it: no publicBaseUrl. */
function rawWithoutBaseUrl(): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...podcastConfig() };
  delete raw.publicBaseUrl;
  return raw;
}

const input = () => podcastConfigInputSchema.parse(rawWithoutBaseUrl());

describe('podcast config schemas', () => {
  it('the input schema takes a config without publicBaseUrl; the resolved one requires it', () => {
    expect(podcastConfigInputSchema.safeParse(rawWithoutBaseUrl()).success).toBe(true);
    const strict = podcastConfigSchema.safeParse(rawWithoutBaseUrl());
    expect(strict.success).toBe(false);
    expect(strict.error?.issues[0]?.path).toEqual(['publicBaseUrl']);
  });

  it('both apply the same field rules and the same cross-field rules', () => {
    for (const schema of [podcastConfigInputSchema, podcastConfigSchema]) {
      const badUrl = schema.safeParse({ ...podcastConfig(), publicBaseUrl: 'ftp://cdn.example.com' });
      expect(badUrl.error?.issues[0]).toMatchObject({ path: ['publicBaseUrl'] });
      const twins = schema.safeParse({
        ...podcastConfig(),
        hosts: [
          { id: 'ava', name: 'Ava' },
          { id: 'ava', name: 'Ava again' },
        ],
      });
      expect(twins.error?.issues[0]).toMatchObject({
        path: ['hosts', 1, 'id'],
        message: 'duplicate host id "ava"',
      });
      const minOverMax = schema.safeParse({ ...podcastConfig(), maxStories: 2, minStories: 3 });
      expect(minOverMax.error?.issues[0]?.path).toEqual(['minStories']);
    }
  });
});

describe('resolvePublicBaseUrl', () => {
  it('keeps a given publicBaseUrl, whatever the origin', () => {
    const config = podcastConfig({ publicBaseUrl: 'https://podcasts.example.com/mine/' });
    expect(resolvePublicBaseUrl(config, 'https://d123.cloudfront.net', 'input.podcast')).toEqual(config);
    expect(resolvePublicBaseUrl(config, undefined, 'input.podcast').publicBaseUrl).toBe(
      'https://podcasts.example.com/mine/'
    );
  });

  it.each([
    ['https://d123.cloudfront.net', 'https://d123.cloudfront.net/podcasts/test-pod'],
    ['https://d123.cloudfront.net/', 'https://d123.cloudfront.net/podcasts/test-pod'],
    ['http://127.0.0.1:4566/_origin', 'http://127.0.0.1:4566/_origin/podcasts/test-pod'],
    ['http://127.0.0.1:4566/_origin///', 'http://127.0.0.1:4566/_origin/podcasts/test-pod'],
  ])('defaults a missing one to <origin>/podcasts/<podcastId> (origin %s)', (origin, expected) => {
    const resolved = resolvePublicBaseUrl(input(), origin, 'input.podcast');
    expect(resolved.publicBaseUrl).toBe(expected);
    expect(podcastConfigSchema.parse(resolved)).toEqual(resolved);
  });

  it.each([undefined, ''])(
    'without publicBaseUrl or an origin (%j): a ValidationError naming the field and the fixes',
    (origin) => {
      const error = (() => {
        try {
          return resolvePublicBaseUrl(input(), origin, 'input.podcast');
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('input.podcast.publicBaseUrl');
      const message = (error as Error).message;
      expect(message).toMatch(/^input\.podcast\.publicBaseUrl: not set/);
      expect(message).toContain('set publicBaseUrl in the podcast config');
      expect(message).toContain('`npm run serve`');
      expect(message).toContain('PUBLIC_ORIGIN_URL');
    }
  );

  it.each([
    'ftp://cdn.example.com',
    'cdn.example.com',
    'https://cdn.example.com/?v=1',
    'https://cdn.example.com?',
    'https://u:p@cdn.example.com',
  ])('refuses an origin that is not a plain http(s) URL (%s), naming PUBLIC_ORIGIN_URL', (origin) => {
    expect(() => resolvePublicBaseUrl(input(), origin, 'input.podcast')).toThrow(
      expect.objectContaining({ name: 'ValidationError', field: 'PUBLIC_ORIGIN_URL' })
    );
  });
});
