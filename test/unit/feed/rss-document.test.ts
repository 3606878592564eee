import Parser from 'rss-parser';
import { podcastGuid } from '../../../stages/feed/podcast-guid';
import {
  type FeedEpisode,
  formatDuration,
  formatRfc2822,
  renderRssDocument,
} from '../../../stages/feed/rss-document';
import {
  cdataSection,
  el,
  escapeXml,
  escapeXmlAttribute,
  serializeXmlDocument,
} from '../../../stages/feed/xml-writer';
import type { PodcastConfig } from '../../../stages/shared/config-schema';
import type { EpisodeRecord } from '../../../stages/shared/ports';
import { BASE_URL, HOSTILE_TITLE, podcastConfig } from './publishing-fixtures';

/** An episode's version folder, as publish names it (the renderer takes URLs as the record gives them). */
const VERSION = '0123456789abcdef';

function episode(date: string, overrides: Partial<EpisodeRecord> = {}): EpisodeRecord {
  const dir = `${BASE_URL}/episodes/${date}/${VERSION}`;
  return {
    podcastId: 'tech-weekly',
    episodeId: date,
    guid: `guid-${date}`,
    runId: `run-${date}`,
    title: `Episode ${date}`,
    description: `About ${date}`,
    publishedAt: `${date}T00:00:00.000Z`,
    durationSeconds: 3725,
    media: {
      url: `${dir}/episode.mp3`,
      key: `podcasts/tech-weekly/episodes/${date}/${VERSION}/episode.mp3`,
      bytes: 123456,
      type: 'audio/mpeg',
    },
    imageUrl: `${dir}/cover.png`,
    chaptersUrl: `${dir}/chapters.json`,
    transcriptUrl: `${dir}/transcript.vtt`,
    notesHtml: `<p>Notes for ${date}</p>`,
    ...overrides,
  };
}

const BUILT_AT = new Date('2026-11-24T06:30:15.000Z');

const render = (episodes: FeedEpisode[], podcast: PodcastConfig = podcastConfig()) =>
  renderRssDocument({
    podcast,
    episodes,
    feedUrl: `${BASE_URL}/feed.xml`,
    siteUrl: BASE_URL,
    coverUrl: `${BASE_URL}/cover-0123456789abcdef.png`,
    builtAt: BUILT_AT,
  });

describe('renderRssDocument', () => {
  it('escapes hostile text so a standard parser reads back exactly what was written', async () => {
    // Prepare
    const notesHtml = '<p>Ends a CDATA early: ]]> then <script>x</script> & more ]]]]></p>';
    const hostile = episode('2026-11-23', {
      title: HOSTILE_TITLE,
      description: `${HOSTILE_TITLE}\u0007 bell`,
      notesHtml,
    });

    // Act
    const xml = render([hostile]);
    const feed = await new Parser().parseString(xml);

    // Assess
    const item = feed.items[0];
    expect(item?.title).toBe(HOSTILE_TITLE);
    expect((item as { 'content:encoded'?: string })['content:encoded']).toBe(notesHtml);
    // Forbidden XML 1.0 control characters are dropped rather than breaking the document.
    expect(item?.content).toBe(`${HOSTILE_TITLE} bell`);
    expect(xml).toContain('<title>Rust &amp; &lt;Go&gt; &quot;fight&quot; ]]&gt; it&apos;s on</title>');
    expect(xml.match(/<!\[CDATA\[/g)).toHaveLength(3);
  });

  it('lists items newest first and is byte-identical whatever order the episodes come in', () => {
    // Prepare
    const episodes = [episode('2026-11-09'), episode('2026-11-23'), episode('2026-11-16')];

    // Act
    const forward = render(episodes);
    const backward = render([...episodes].reverse());

    // Assess
    expect(backward).toBe(forward);
    const guids = [...forward.matchAll(/<guid isPermaLink="false">([^<]+)<\/guid>/g)].map((m) => m[1]);
    expect(guids).toEqual(['guid-2026-11-23', 'guid-2026-11-16', 'guid-2026-11-09']);
    expect(forward).toContain('<lastBuildDate>Tue, 24 Nov 2026 06:30:15 GMT</lastBuildDate>');
    expect(forward).toContain('<pubDate>Mon, 23 Nov 2026 00:00:00 GMT</pubDate>');
    expect(forward).toContain('<itunes:duration>01:02:05</itunes:duration>');
    expect(forward).toContain(
      `<enclosure url="https://podcasts.example.com/tech-weekly/episodes/2026-11-23/${VERSION}/episode.mp3" length="123456" type="audio/mpeg"/>`
    );
  });

  it('declares the iTunes, Podcasting 2.0 and Atom namespaces and the channel tags', async () => {
    // Act
    const xml = render([episode('2026-11-23')]);
    const feed = await new Parser().parseString(xml);

    // Assess
    expect(xml).toContain('xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"');
    expect(xml).toContain('xmlns:podcast="https://podcastindex.org/namespace/1.0"');
    expect(xml).toContain('xmlns:atom="http://www.w3.org/2005/Atom"');
    expect(xml).toContain(`<atom:link href="${BASE_URL}/feed.xml" rel="self" type="application/rss+xml"/>`);
    expect(xml).toContain(`<podcast:guid>${podcastGuid(`${BASE_URL}/feed.xml`)}</podcast:guid>`);
    expect(xml).toContain('<podcast:locked owner="owner@example.com">yes</podcast:locked>');
    expect(xml).toContain('<itunes:type>episodic</itunes:type>');
    expect(xml).toContain(
      '<itunes:owner>\n      <itunes:name>Example Media</itunes:name>\n      <itunes:email>owner@example.com</itunes:email>\n    </itunes:owner>'
    );
    expect(xml).toContain('<podcast:person role="host" group="cast">Alex Rivera</podcast:person>');
    expect(xml).toContain('<podcast:person role="co-host" group="cast">Sam Lee</podcast:person>');
    expect(xml).toContain(`<itunes:image href="${BASE_URL}/cover-0123456789abcdef.png"/>`);
    expect(feed.image?.url).toBe(`${BASE_URL}/cover-0123456789abcdef.png`);
    expect(feed.itunes?.categories).toEqual(['Technology']);
    expect(feed.itunes?.explicit).toBe('false');
    expect(feed.language).toBe('en-us');
  });

  it('nests the subcategory in its category', async () => {
    const podcast = podcastConfig({ category: 'News', subcategory: 'Tech News', explicit: true });

    const xml = render([episode('2026-11-23')], podcast);
    const feed = await new Parser().parseString(xml);

    expect(xml).toContain(
      '<itunes:category text="News">\n      <itunes:category text="Tech News"/>\n    </itunes:category>'
    );
    expect(feed.itunes?.categories).toEqual(['News']);
    expect(feed.itunes?.categoriesWithSubs).toEqual([{ name: 'News', subs: [{ name: 'Tech News' }] }]);
    expect(xml).toContain('<itunes:explicit>true</itunes:explicit>');
  });

  it('without an owner email: no itunes:owner, and the feed locked without an owner', () => {
    const xml = render([episode('2026-11-23')], podcastConfig({ ownerEmail: undefined }));

    expect(xml).not.toContain('itunes:owner');
    expect(xml).not.toContain('itunes:email');
    expect(xml).toContain('<podcast:locked>yes</podcast:locked>');
  });

  it('gives an item its link and its episode number when it has them', () => {
    const xml = render([
      {
        ...episode('2026-11-23', { episodeNumber: 7 }),
        link: `${BASE_URL}/episodes/2026-11-23/${VERSION}/notes.html`,
      },
      episode('2026-11-16'),
    ]);

    const [newest, older] = xml.split('<item>').slice(1);
    expect(newest).toContain(`<link>${BASE_URL}/episodes/2026-11-23/${VERSION}/notes.html</link>`);
    expect(newest).toContain('<itunes:episode>7</itunes:episode>');
    expect(older).not.toContain('<link>');
    expect(older).not.toContain('<itunes:episode>');
  });
});

describe('feed formatting', () => {
  it('formats durations and RFC 2822 dates', () => {
    expect(formatDuration(0)).toBe('00:00:00');
    expect(formatDuration(59.6)).toBe('00:01:00');
    expect(formatDuration(3725)).toBe('01:02:05');
    expect(formatRfc2822('2026-02-01T00:00:00.000Z')).toBe('Sun, 01 Feb 2026 00:00:00 GMT');
    expect(() => formatRfc2822('not a date', 'episode x publishedAt')).toThrow(/episode x publishedAt/);
  });

  it('computes podcast:guid as the namespace specifies (its published example)', () => {
    expect(podcastGuid('https://mp3s.nashownotes.com/pc20rss.xml')).toBe(
      '917393e3-1b1e-5cef-ace4-edaa54e1f810'
    );
    expect(podcastGuid('http://mp3s.nashownotes.com/pc20rss.xml/')).toBe(
      '917393e3-1b1e-5cef-ace4-edaa54e1f810'
    );
  });
});

describe('xml writer', () => {
  it('escapes text, attributes and CDATA', () => {
    expect(escapeXml(`a & b < c > d " e ' f`)).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f');
    expect(escapeXmlAttribute('line\nbreak\t"q"')).toBe('line&#10;break&#9;&quot;q&quot;');
    expect(cdataSection('x]]>y')).toBe('<![CDATA[x]]]]><![CDATA[>y]]>');
    expect(escapeXml('ok\u0000\u001Fdone \uD83D\uDE00')).toBe('okdone \uD83D\uDE00');
  });

  it('serialises a tree deterministically and refuses invalid names', () => {
    const doc = serializeXmlDocument(el('a', { x: '1', skip: undefined }, el('b', {}, 't<'), el('c')));
    expect(doc).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<a x="1">\n  <b>t&lt;</b>\n  <c/>\n</a>\n');
    expect(() => el('bad name')).toThrow(/invalid XML element name/);
    expect(() => el('a', { 'on"x': '1' })).toThrow(/invalid XML attribute name/);
  });
});
