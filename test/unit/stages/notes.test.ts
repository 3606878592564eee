import { runCore } from '../../helpers/run-core';
import { notesStage } from '../../../stages/notes/notes';
import { buildChapters } from '../../../stages/notes/chapters';
import { NOTES_PHRASES } from '../../../stages/notes/notes-phrases';
import {
  buildShowNotesModel,
  renderDescription,
  renderHtml,
  renderMarkdown,
} from '../../../stages/notes/show-notes';
import { formatVttTime, splitCueText } from '../../../stages/notes/webvtt';
import { artifactKeys, putJson } from '../../../stages/shared/artifact-keys';
import { FatalStageError, ValidationError } from '../../../stages/shared/errors';
import { parseOrThrow } from '../../../stages/shared/validation';
import {
  HOSTILE_TITLE,
  script,
  seedRun,
  stageContext,
  stageInput,
  summaries,
  timeline,
} from '../feed/publishing-fixtures';

const VTT_CUE = /^(\d+)\n(\d{2}:\d{2}:\d{2}\.\d{3}) --> (\d{2}:\d{2}:\d{2}\.\d{3})\n<v ([^>]+)>([\s\S]+)$/;

function parseVtt(vtt: string) {
  return vtt
    .replace(/^WEBVTT\n\n/, '')
    .trim()
    .split('\n\n')
    .map((block) => {
      const m = VTT_CUE.exec(block);
      if (!m) throw new Error(`not a cue: ${block}`);
      const ms = (t: string) => {
        const [h, mi, s] = t.split(':').map(Number);
        return Math.round(((h ?? 0) * 3600 + (mi ?? 0) * 60 + (s ?? 0)) * 1000);
      };
      return {
        start: ms(m[2] ?? ''),
        end: ms(m[3] ?? ''),
        voice: m[4] ?? '',
        lines: (m[5] ?? '').split('\n'),
      };
    });
}

describe('notes stage', () => {
  it('writes chapters, transcript and show notes under runs/<runId>/notes/', async () => {
    // Prepare
    const run = await seedRun();

    // Act
    const manifest = await runCore(notesStage, stageInput(run), stageContext(run));

    // Assess
    expect(notesStage.outputSchema.parse(manifest)).toEqual(manifest);
    expect(manifest).toEqual({
      htmlKey: 'runs/run-1/notes/notes.html',
      markdownKey: 'runs/run-1/notes/notes.md',
      chaptersKey: 'runs/run-1/notes/chapters.json',
      transcriptKey: 'runs/run-1/notes/transcript.vtt',
      descriptionKey: 'runs/run-1/notes/description.txt',
      chapters: 4,
    });
    expect(run.deps.media.objects.get(manifest.transcriptKey)?.contentType).toMatch(/^text\/vtt/);
    expect(run.deps.media.objects.get(manifest.htmlKey)?.contentType).toMatch(/^text\/html/);
  });

  it("builds Podcasting 2.0 chapters starting at each segment's first clip", async () => {
    // Prepare
    const run = await seedRun();
    const clips = timeline();
    const firstOf = (segmentId: string) =>
      (clips.find((c) => c.segmentId === segmentId)?.startMs ?? NaN) / 1000;

    // Act
    const manifest = await runCore(notesStage, stageInput(run), stageContext(run));

    // Assess
    expect(run.deps.media.json(manifest.chaptersKey)).toEqual({
      version: '1.2.0',
      chapters: [
        { startTime: firstOf('intro'), title: 'Intro' },
        {
          startTime: firstOf('seg-1'),
          title: HOSTILE_TITLE,
          url: 'https://news.example.com/a?x=1&y=%222%22',
        },
        // A javascript: link from a source is never published.
        { startTime: firstOf('seg-2'), title: 'Databases get faster' },
        { startTime: firstOf('outro'), title: 'Outro' },
      ],
    });
    expect(firstOf('intro')).toBe(2);
  });

  it('writes a WebVTT transcript with voice tags, escaped text and split long turns', async () => {
    // Prepare
    const run = await seedRun();
    const clips = timeline();
    const longClip = clips[2];
    if (!longClip) throw new Error('fixture has no third clip');

    // Act
    const manifest = await runCore(notesStage, stageInput(run), stageContext(run));
    const vtt = run.deps.media.text(manifest.transcriptKey);
    const cues = parseVtt(vtt);

    // Assess
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    expect(cues[0]).toEqual({
      start: 2000,
      end: clips[0]?.endMs,
      voice: 'Alex Rivera',
      lines: ['Welcome to Tech Weekly!'],
    });
    expect(cues.map((c) => c.voice)).toContain('Sam Lee');
    const longCues = cues.filter((c) => c.start >= longClip.startMs && c.end <= longClip.endMs);
    expect(longCues.length).toBeGreaterThanOrEqual(2);
    expect(longCues[0]?.start).toBe(longClip.startMs);
    expect(longCues[longCues.length - 1]?.end).toBe(longClip.endMs);
    for (const [i, cue] of longCues.entries()) {
      expect(cue.lines.length).toBeLessThanOrEqual(2);
      expect(cue.lines.join(' ').length).toBeLessThanOrEqual(85);
      expect(cue.end).toBeGreaterThan(cue.start);
      if (i > 0) expect(cue.start).toBe(longCues[i - 1]?.end);
    }
    expect(longCues.flatMap((c) => c.lines).join(' ')).toBe(longClip.text);
    expect(vtt).toContain('Wow, &lt;that&gt; &amp; more.');
    expect(vtt).not.toContain('<that>');
  });

  it('renders HTML show notes that escape everything taken from the sources', async () => {
    // Prepare
    const run = await seedRun();

    // Act
    const manifest = await runCore(notesStage, stageInput(run), stageContext(run));
    const html = run.deps.media.text(manifest.htmlKey);
    const markdown = run.deps.media.text(manifest.markdownKey);

    // Assess
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Daily &amp; Co');
    expect(html).toContain('Rust &amp; &lt;Go&gt; &quot;fight&quot; ]]&gt; it&#39;s on');
    expect(html).toContain('<a href="https://news.example.com/a?x=1&amp;y=%222%22" rel="nofollow noopener">');
    expect(html).toContain('<li>00:02 Intro</li>');
    expect(html).toMatch(
      /In this 2026-11-23 episode of Tech Weekly, Alex Rivera and Sam Lee talk through 2 stories/
    );
    expect(markdown).toContain('# Episode: Rust \\& Go');
    expect(markdown).toContain(
      '- [Rust \\& \\<Go\\> "fight" \\]\\]\\> it\'s on](https://news.example.com/a?x=1&y=%222%22)'
    );
    expect(markdown).toContain('- Databases get faster (DB Weekly)');
    expect(markdown).toMatch(/## Chapters\n\n- 00:02 Intro\n- 00:\d\d Rust/);
    expect(run.deps.media.text(manifest.descriptionKey)).toMatch(
      /^In this 2026-11-23 episode[\s\S]*Stories:\n- Rust & <Go>/
    );
  });

  it('links every story by its http(s) URL in the HTML, the Markdown and the description, and nothing else', () => {
    // Prepare
    const [linked, hostile] = summaries();
    const stories = [
      linked!,
      { ...hostile!, url: 'https://db.example.org/news/faster?id=7' },
      { ...hostile!, storyId: 'story-c', title: 'Local only', url: 'file:///srv/show/articles/c.html' },
    ];

    // Act
    const model = buildShowNotesModel({
      podcastTitle: 'Tech Weekly',
      episodeTitle: 'Links',
      date: '2026-11-23',
      language: 'en-us',
      hostNames: ['Alex', 'Sam'],
      summaries: stories,
      chapters: [],
    });
    const outputs = [renderHtml(model), renderMarkdown(model), renderDescription(model)];

    // Assess
    for (const text of outputs) {
      expect(text).toContain('https://news.example.com/a?x=1');
      expect(text).toContain('https://db.example.org/news/faster?id=7');
      expect(text).toContain('Local only');
      expect(text).not.toContain('file:');
    }
    expect(model.stories.map((story) => story.url)).toEqual([
      'https://news.example.com/a?x=1&y=%222%22',
      'https://db.example.org/news/faster?id=7',
      undefined,
    ]);
  });

  it('names every host of a solo show or a panel in the summary, with the verb to match', () => {
    const summaryFor = (hostNames: string[]) =>
      buildShowNotesModel({
        podcastTitle: 'Tech Weekly',
        episodeTitle: 'Cast',
        date: '2026-11-23',
        language: 'en-us',
        hostNames,
        summaries: summaries(),
        chapters: [],
      }).summary;

    expect(summaryFor(['Alex'])).toMatch(
      /^In this 2026-11-23 episode of Tech Weekly, Alex talks through 2 stories: /
    );
    expect(summaryFor(['Alex', 'Sam', 'Kim', 'Lee'])).toMatch(
      /, Alex, Sam, Kim and Lee talk through 2 stories: /
    );
  });

  it('reads the reviewed script when review ran', async () => {
    // Prepare
    const run = await seedRun();
    const reviewedKey = artifactKeys.stageFile(run.runId, 'review', 'script.json');
    await putJson(run.deps.media, reviewedKey, script('Reviewed title'));
    run.stages.review = { key: reviewedKey, textKey: 'x', turns: 6, words: 80, fixes: [], reportKey: 'y' };

    // Act
    const manifest = await runCore(notesStage, stageInput(run), stageContext(run));

    // Assess
    expect(run.deps.media.text(manifest.markdownKey)).toMatch(/^# Reviewed title\n/);
  });

  it('writes the same bytes when run twice on the same input', async () => {
    // Prepare
    const run = await seedRun();
    const read = (m: { htmlKey: string; markdownKey: string; chaptersKey: string; transcriptKey: string }) =>
      [m.htmlKey, m.markdownKey, m.chaptersKey, m.transcriptKey].map((k) => run.deps.media.text(k));

    // Act
    const first = read(await runCore(notesStage, stageInput(run), stageContext(run)));
    run.deps.clock.advance(86_400_000);
    const second = read(await runCore(notesStage, stageInput(run), stageContext(run)));

    // Assess
    expect(second).toEqual(first);
  });

  it('names the missing manifest field and fails on a malformed timeline', async () => {
    // Prepare
    const run = await seedRun();
    const input = stageInput(run);
    const withoutTimeline = {
      ...input,
      stages: { ...input.stages, mix: { key: 'k', durationMs: 1, bytes: 1 } },
    };
    await putJson(run.deps.media, 'runs/run-1/mix/timeline.json', [{ turnIndex: 0, speaker: 'alex' }]);

    // Act / Assess
    expect(() => parseOrThrow(notesStage.inputSchema, withoutTimeline, 'input')).toThrow(ValidationError);
    expect(() => parseOrThrow(notesStage.inputSchema, withoutTimeline, 'input')).toThrow(
      /input\.stages\.mix\.timelineKey/
    );
    await expect(runCore(notesStage, input, stageContext(run))).rejects.toThrow(FatalStageError);
    await expect(runCore(notesStage, input, stageContext(run))).rejects.toThrow(
      /runs\/run-1\/mix\/timeline\.json is malformed/
    );
  });
});

describe('chapters and cues', () => {
  it('maps segments to stories by id, by cited sources, or by rank when uncited', () => {
    // Prepare
    const s = script();
    const uncited = {
      ...s,
      turns: s.turns.map((t) => ({
        ...t,
        segmentId: t.segmentId === 'seg-1' ? 'story-b' : t.segmentId,
        sourceIds: [],
      })),
    };

    // Act
    const chapters = buildChapters(timeline(uncited), uncited, summaries(), NOTES_PHRASES.en);

    // Assess: seg "story-b" is that story by id; uncited "seg-2" takes the best-ranked unclaimed story.
    expect(chapters.map((c) => [c.segmentId, c.kind, c.storyId])).toEqual([
      ['intro', 'intro', undefined],
      ['story-b', 'story', 'story-b'],
      ['seg-2', 'story', 'story-a'],
      ['outro', 'outro', undefined],
    ]);
    expect(() => buildChapters([], s, summaries(), NOTES_PHRASES.en)).toThrow(FatalStageError);
  });

  it('formats WebVTT timestamps and wraps cues into two lines of at most 42 characters', () => {
    // Prepare
    const text = 'word '.repeat(60).trim();

    // Act
    const cues = splitCueText(text);

    // Assess
    expect(formatVttTime(3_723_004)).toBe('01:02:03.004');
    expect(formatVttTime(0)).toBe('00:00:00.000');
    expect(cues.length).toBe(4);
    for (const cue of cues) {
      expect(cue.length).toBeLessThanOrEqual(2);
      for (const line of cue) expect(line.length).toBeLessThanOrEqual(42);
    }
    expect(cues.flat().join(' ')).toBe(text);
  });

  it('spreads the words of a turn over its cues so that none is a lone word', () => {
    const text = "Hi! Good to be here. Today's stories come from The Silicon Ledger and Open Source Digest.";

    const cues = splitCueText(text);

    expect(cues).toHaveLength(2);
    for (const cue of cues) expect(cue.join(' ').split(' ').length).toBeGreaterThan(3);
    expect(cues.flat().join(' ')).toBe(text);
  });
});
