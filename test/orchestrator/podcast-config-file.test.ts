/**
 * A `--podcast` file (containers/orchestrator/local/podcast-config-file.ts): capped at 256 KiB,
 * must hold a JSON object, no __proto__/constructor/prototype keys, text fields without control
 * characters; every refusal is a ValidationError naming the file or the field.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPodcastConfigFile } from '../../containers/orchestrator/local/podcast-config-file';
import { ValidationError } from '../../stages/shared/errors';
import { podcastConfig } from '../fixtures/podcast-config';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'podcast-file-'));
const file = (name: string, text: string) => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const config = () => JSON.parse(JSON.stringify(podcastConfig())) as Record<string, unknown>;

async function refusal(p: string): Promise<ValidationError> {
  const error = await loadPodcastConfigFile(p).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('loadPodcastConfigFile refuses', () => {
  it.each([
    ['null', 'null'],
    ['[1, 2]', 'an array'],
    ['42', 'a number'],
    ['"a string"', 'a string'],
  ])('a file holding %s, naming the file', async (json, what) => {
    const p = file(`holds-${what.replace(/\W/g, '-')}.json`, json);

    const error = await refusal(p);

    expect(error.message).toBe(`podcast config ${p} must hold a JSON object, not ${what}`);
    expect(error.field).toBe('podcast');
  });

  it('a file over 256 KiB, giving its size and the cap', async () => {
    const p = file('huge.json', JSON.stringify({ ...config(), description: 'd'.repeat(300 * 1024) }));

    const error = await refusal(p);

    expect(error.message).toMatch(
      /^podcast config .*huge\.json is 300\.\d KiB \(\d+ bytes\), over the 256 KiB cap$/
    );
  });

  it.each([
    [
      '__proto__ at the top',
      (c: Record<string, unknown>) => `{"__proto__":{"x":1},${JSON.stringify(c).slice(1)}`,
      'podcast config proto.json.__proto__',
    ],
    [
      'constructor in a host',
      (c: Record<string, unknown>) =>
        JSON.stringify({
          ...c,
          hosts: [
            { id: 'ava', name: 'Ava', constructor: {} },
            { id: 'ben', name: 'Ben' },
          ],
        }),
      'podcast config proto.json.hosts.0.constructor',
    ],
  ])('%s, naming the path (the schema would strip it silently)', async (_what, text, path) => {
    const error = await refusal(file('proto.json', text(config())));

    expect(error.message).toBe(`${path}: the key "${path.split('.').pop()}" is not allowed`);
  });

  it('a control character in a text field, naming the field', async () => {
    const error = await refusal(
      file(
        'control.json',
        JSON.stringify({ ...config(), style: { bannedPhrases: ['fine', 'bad\u0000phrase'] } })
      )
    );

    expect(error.message).toMatch(
      /^podcast config control\.json\.style\.bannedPhrases\.1: character U\+0000 at position 4 is not allowed/
    );
  });

  it('a folder', async () => {
    expect((await refusal(tmp)).message).toBe(`podcast config ${tmp} is not a file`);
  });
});

it('loads a good file', async () => {
  await expect(loadPodcastConfigFile(file('good.json', JSON.stringify(config())))).resolves.toMatchObject({
    podcastId: 'test-pod',
  });
});

it('loads a file without publicBaseUrl (resolved later, by the command or prepare)', async () => {
  const raw = config();
  delete raw.publicBaseUrl;
  const loaded = await loadPodcastConfigFile(file('no-base-url.json', JSON.stringify(raw)));
  expect(loaded.podcastId).toBe('test-pod');
  expect(loaded.publicBaseUrl).toBeUndefined();
});

it("resolves relative feed and artwork paths against the file's folder, and keeps URLs as they are", async () => {
  const raw = {
    ...config(),
    artworkUrl: 'art/cover.png',
    sources: [
      { id: 'local', name: 'Local', feedUrl: 'feeds/main.xml' },
      { id: 'remote', name: 'Remote', feedUrl: 'https://news.example.com/feed.xml' },
    ],
  };
  const loaded = await loadPodcastConfigFile(file('relative.json', JSON.stringify(raw)));
  expect(loaded.artworkUrl).toBe(pathToFileURL(path.join(tmp, 'art', 'cover.png')).href);
  expect(loaded.sources.map((s) => s.feedUrl)).toEqual([
    pathToFileURL(path.join(tmp, 'feeds', 'main.xml')).href,
    'https://news.example.com/feed.xml',
  ]);
  const remote = await loadPodcastConfigFile(
    file('remote-art.json', JSON.stringify({ ...config(), artworkUrl: 'https://img.example.com/c.jpg' }))
  );
  expect(remote.artworkUrl).toBe('https://img.example.com/c.jpg');
});
