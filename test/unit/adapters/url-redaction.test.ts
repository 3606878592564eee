import { REDACTED, redactDeps, SecretRedactor } from '../../../stages/shared/adapters/cloud/secret-redaction';
import { redactUrl, redactUrls } from '../../../stages/shared/adapters/cloud/url-redaction';
import type { NewRun } from '../../../stages/shared/ports';
import { makeFakeDeps } from '../../fakes/fake-deps';

const R = REDACTED;

describe('redactUrls', () => {
  test.each([
    ['https://user:pass@feeds.example.com/rss.xml', `https://${R}@feeds.example.com/rss.xml`],
    ['http://user@example.com:8080/feed', `http://${R}@example.com:8080/feed`],
    ['https://feeds.example.com/rss?token=abc123&x=1', `https://feeds.example.com/rss?token=${R}&x=${R}`],
    ['https://u:p@example.com/a/b?key=s3cr3t', `https://${R}@example.com/a/b?key=${R}`],
    ['https://example.com?sig=abc', `https://example.com?sig=${R}`],
    ['file:///srv/feeds/a.xml', 'file:///srv/feeds/a.xml'],
    ['file:///srv/feeds/a.xml?v=2', `file:///srv/feeds/a.xml?v=${R}`],
    ['file://admin:pw@fileserver/share/feed.xml', `file://${R}@fileserver/share/feed.xml`],
    ['https://example.com/rss#section', 'https://example.com/rss#section'],
    ['https://example.com/rss#section?not=query', `https://example.com/rss#section?not=${R}`],
    [
      'https://app.example.com/cb#access_token=abc&state=x',
      `https://app.example.com/cb#access_token=${R}&state=${R}`,
    ],
    ['https://example.com/rss?token=abc#top', `https://example.com/rss?token=${R}#top`],
    ['https://example.com/p?to%6Ben=a%26b%3Dc&q=caf%C3%A9', `https://example.com/p?to%6Ben=${R}&q=${R}`],
    ['https://us%40er:p%40ss@example.com/x', `https://${R}@example.com/x`],
    ['https://user:p@ss@example.com/x', `https://${R}@example.com/x`],
    ['https://example.com/rss?empty=&flag&a=1', `https://example.com/rss?empty=&flag&a=${R}`],
    ['https://[::1]:8443/feed?t=1', `https://[::1]:8443/feed?t=${R}`],
    ['https://example.com/plain/path.xml', 'https://example.com/plain/path.xml'],
  ])('%s', (url, expected) => {
    expect(redactUrls(url)).toBe(expected);
    expect(redactUrl(url)).toBe(expected);
  });

  it('redacts URLs inside longer messages and keeps the punctuation around them', () => {
    expect(redactUrls('source "a" (https://feeds.example.com/rss?token=abc): cannot read the feed.')).toBe(
      `source "a" (https://feeds.example.com/rss?token=${R}): cannot read the feed.`
    );
    expect(redactUrls('GET https://u:p@h.example/x?k=v, then gave up')).toBe(
      `GET https://${R}@h.example/x?k=${R}, then gave up`
    );
    expect(redactUrls('see https://h.example/x?k=v.')).toBe(`see https://h.example/x?k=${R}.`);
    expect(redactUrls('{"url":"https://h.example/x?k=v","n":1}')).toBe(
      `{"url":"https://h.example/x?k=${R}","n":1}`
    );
    expect(redactUrls('<a href="https://h.example/?k=v">x</a>')).toBe(
      `<a href="https://h.example/?k=${R}">x</a>`
    );
  });

  it('redacts every URL of a string', () => {
    expect(
      redactUrls('tried https://a.example/f?t=1 and http://b:c@b.example/g?u=2&v=3 and file:///x.xml')
    ).toBe(`tried https://a.example/f?t=${R} and http://${R}@b.example/g?u=${R}&v=${R} and file:///x.xml`);
  });

  it('leaves text without URLs as it is and is idempotent', () => {
    for (const text of [
      'no urls here',
      'ratio 3:4 at 10:30',
      'key=value&other=thing',
      'mailto:someone@example.com?subject=hi',
      '',
    ]) {
      expect(redactUrls(text)).toBe(text);
    }
    const once = redactUrls('x https://u:p@h.example/a?b=c&d=e#f (https://h.example/?q=1)');
    expect(redactUrls(once)).toBe(once);
  });
});

describe('the redaction guard with no secret loaded', () => {
  const newRun: NewRun = {
    runId: 'run-1',
    podcastId: 'pod',
    mode: 'monolithic',
    inputHash: 'h',
    input: {
      runId: 'run-1',
      podcastId: 'pod',
      podcast: { sources: [{ feedUrl: 'https://u:p@feeds.example.com/rss?token=abc' }] },
    },
  };

  it('scrubs URLs from log lines, events and run records, and keeps the run input verbatim', async () => {
    // Prepare
    const fakes = makeFakeDeps();
    const lines: unknown[] = [];
    const logger = {
      debug: () => undefined,
      info: (m: string, e?: unknown) => void lines.push([m, e]),
      warn: () => undefined,
      error: () => undefined,
    };
    const deps = redactDeps({ ...fakes, logger }, new SecretRedactor());
    const url = 'https://u:p@feeds.example.com/rss?token=abc';

    // Act
    await deps.runs.claim(newRun, '2026-11-23T00:00:00.000Z');
    await deps.runs.markFailed(
      'run-1',
      { stage: 'discover', name: 'FatalStageError', message: `cannot read ${url}` },
      '2026-11-23T00:00:01.000Z'
    );
    await deps.events.append({
      runId: 'run-1',
      eventKey: 'k',
      type: 'stage.failed',
      at: 'now',
      detail: { url, nested: [url] },
    });
    deps.logger.info(`fetching ${url}`, { url });

    // Assess
    const safe = `https://${R}@feeds.example.com/rss?token=${R}`;
    const run = await fakes.runs.get('run-1');
    expect(run?.error?.message).toBe(`cannot read ${safe}`);
    expect(run?.input).toEqual(newRun.input);
    expect((await fakes.events.list('run-1'))[0]?.detail).toEqual({ url: safe, nested: [safe] });
    expect(lines).toEqual([[`fetching ${safe}`, { url: safe }]]);
  });

  it('hands a rejected run input to the repository verbatim too (its footprint is of the real input), scrubbing the error', async () => {
    const fakes = makeFakeDeps();
    const recordRejected = jest.spyOn(fakes.runs, 'recordRejected');
    const deps = redactDeps(fakes, new SecretRedactor());

    await deps.runs.recordRejected(
      newRun,
      { name: 'ValidationError', message: 'bad https://h.example/?t=1' },
      '2026-11-23T00:00:00.000Z'
    );

    expect(recordRejected).toHaveBeenCalledWith(
      newRun,
      { name: 'ValidationError', message: `bad https://h.example/?t=${R}` },
      '2026-11-23T00:00:00.000Z'
    );
  });

  it('passes values with nothing to scrub through as the same object', () => {
    const redactor = new SecretRedactor();
    const value = { url: 'https://example.com/feed.xml', list: [1, 'two'], error: new Error('plain') };
    expect(redactor.scrub(value)).toBe(value);
  });
});
