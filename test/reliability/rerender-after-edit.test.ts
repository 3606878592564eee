/**
 * Re-render after an edit (stages/shared/approval/edit-published-script.ts): editing the script
 * of a published run reopens it as its next attempt; rerunning it (either mode) redoes only the
 * stages after review, publishes a new version of the same episode (same GUID, a new enclosure
 * and duration in the feed) and keeps the previous version's files; a bad edit changes nothing.
 */
import { editPublishedScript } from '../../stages/shared/approval/edit-published-script';
import { ApprovalStateError } from '../../stages/shared/approval/pending-approval';
import type { Script } from '../../stages/shared/content-types';
import { ValidationError } from '../../stages/shared/errors';
import type { EpisodeRecord, PipelineEvent } from '../../stages/shared/ports';
import type { FakeDeps } from '../fakes/fake-deps';
import {
  DATE,
  dependentsOf,
  fakeDeps,
  feedGuids,
  feedXml,
  type Mode,
  MODES,
  ofType,
  pipelineInput,
  PODCAST_ID,
  RUN_ID,
  runInMode,
  runMonolithic,
  smallPodcast,
} from '../helpers/fault-injection-harness';

async function publishedRun(
  mode: Mode = 'monolithic'
): Promise<{ deps: FakeDeps; input: ReturnType<typeof pipelineInput> }> {
  const deps = fakeDeps();
  // Room for the review's length budget with the example's two stories and a longer edit.
  const input = pipelineInput(RUN_ID, DATE, { ...(await smallPodcast()), targetMinutes: 3 });
  expect(await runInMode(mode, deps, input)).toEqual({ status: 'succeeded' });
  return { deps, input };
}

async function reviewedScript(deps: FakeDeps): Promise<Script> {
  const key = `runs/${RUN_ID}/review/script.json`;
  const body = deps.media.objects.get(key)?.body.toString('utf8');
  if (!body) throw new Error(`no reviewed script at ${key}`);
  return JSON.parse(body) as Script;
}

const PHRASE = 'Quokkafest';
// A new title and opening: the ID3 tag, the cover's text and the spoken length all change.
const withOpening = (script: Script): Script => ({
  ...script,
  episodeTitle: `${script.episodeTitle} (re-recorded)`,
  turns: script.turns.map((t, i) =>
    i === 0
      ? {
          ...t,
          text: `Hello ${PHRASE} listeners, a word before we start: this episode was re-recorded. ${t.text}`,
        }
      : t
  ),
});

async function record(deps: FakeDeps): Promise<EpisodeRecord> {
  const found = await deps.episodes.get(PODCAST_ID, DATE);
  if (!found) throw new Error('no episode record');
  return found;
}

/**
 * Another writer replaces the episode record (another media key) right after its first read: the
 * re-render's conditional replace then fails. Returns the record it wrote.
 */
function replaceRecordOnceAfterRead(deps: FakeDeps): EpisodeRecord {
  const id = `${PODCAST_ID}|${DATE}`;
  const stored = deps.episodes.episodes.get(id) as EpisodeRecord;
  const other = { ...stored, media: { ...stored.media, key: `${stored.media.key}.other` } };
  const read = deps.episodes.get.bind(deps.episodes);
  let first = true;
  deps.episodes.get = async (podcastId, episodeId) => {
    const found = await read(podcastId, episodeId);
    if (first && found) {
      first = false;
      deps.episodes.episodes.set(id, structuredClone(other));
    }
    return found;
  };
  return other;
}

const newEvents = (before: readonly PipelineEvent[], after: readonly PipelineEvent[]) => {
  const seen = new Set(before.map((e) => e.eventKey));
  return after.filter((e) => !seen.has(e.eventKey));
};

const enclosureOf = (xml: string | undefined) => {
  const match = /<enclosure url="([^"]+)" length="(\d+)"/.exec(xml ?? '');
  const duration = /<itunes:duration>([^<]+)<\/itunes:duration>/.exec(xml ?? '');
  return { url: match?.[1], length: Number(match?.[2]), duration: duration?.[1] };
};

describe('re-render after an edit of a published script', () => {
  it.each(MODES)(
    '%s: redoes only what depends on the script: same GUID, a new version, the old files kept',
    async (mode) => {
      const { deps, input } = await publishedRun(mode);
      const first = await record(deps);
      const firstFeed = feedXml(deps);
      const oldFiles = [...deps.media.objects.keys()].filter((k) =>
        k.startsWith(`${first.media.key.replace(/[^/]+$/, '')}`)
      );
      expect(oldFiles.length).toBeGreaterThan(1);
      const before = await deps.events.list(RUN_ID);

      const edited = await editPublishedScript(RUN_ID, withOpening(await reviewedScript(deps)), deps);
      expect(edited).toMatchObject({ runId: RUN_ID, runAttempt: 2, episodeId: DATE });
      expect(edited.scriptKey).toMatch(new RegExp(`^runs/${RUN_ID}/review/edits/[0-9a-f]{16}\\.json$`));
      expect(await deps.runs.get(RUN_ID)).toMatchObject({ status: 'running', runAttempt: 2 });

      expect(edited.mode).toBe(mode);
      // The rerun: the same input again (distributed: a new execution of it).
      expect(await runInMode(mode, deps, input)).toEqual({ status: 'succeeded' });
      const events = newEvents(before, await deps.events.list(RUN_ID));
      expect(ofType(events, 'script.edited')).toHaveLength(1);
      // Every stage after review starts again; none before it does (their checkpoints stand).
      const started = new Set(ofType(events, 'stage.started').map((e) => e.stage));
      expect([...started].sort()).toEqual([...dependentsOf('review')].sort());
      for (const stage of ['prepare', 'discover', 'scrape', 'summarize', 'outline', 'script', 'review'])
        expect(started.has(stage)).toBe(false);
      expect(ofType(events, 'run.succeeded')).toHaveLength(1);

      const second = await record(deps);
      expect(second.guid).toBe(first.guid);
      expect(second.episodeNumber).toBe(first.episodeNumber);
      expect(second.media.key).not.toBe(first.media.key);
      expect(second.media.bytes).not.toBe(first.media.bytes);
      expect(second.stories).toEqual(first.stories);
      // The feed: the same item (GUID), the new enclosure and duration.
      const feed = feedXml(deps);
      expect(feedGuids(feed)).toEqual(feedGuids(firstFeed));
      expect(enclosureOf(feed)).toMatchObject({ url: second.media.url, length: second.media.bytes });
      expect(enclosureOf(feed).url).not.toBe(enclosureOf(firstFeed).url);
      expect(enclosureOf(feed).duration).not.toBe(enclosureOf(firstFeed).duration);
      // The new transcript carries the edit; the previous version's files are all still there.
      const transcript = [...deps.media.objects].find(
        ([k]) => k.startsWith(second.media.key.replace(/[^/]+$/, '')) && k.endsWith('.vtt')
      );
      expect(transcript?.[1].body.toString('utf8')).toContain(PHRASE);
      for (const key of oldFiles) expect(deps.media.objects.has(key)).toBe(true);
      expect((await deps.runs.get(RUN_ID))?.status).toBe('succeeded');
    }
  );

  it('a re-render whose record changed meanwhile fails at publish and leaves that record as it is', async () => {
    const { deps, input } = await publishedRun();
    await editPublishedScript(RUN_ID, withOpening(await reviewedScript(deps)), deps);
    // Another writer replaced the record after this attempt could have read it (simulated).
    const other = replaceRecordOnceAfterRead(deps);
    const outcome = await runMonolithic(deps, input);
    expect(outcome).toMatchObject({ status: 'failed', error: { stage: 'publish', name: 'FatalStageError' } });
    expect(outcome.error?.message).toMatch(/changed while run .* re-rendered it/);
    expect(deps.episodes.episodes.get(`${PODCAST_ID}|${DATE}`)).toEqual(other);
  });

  it('a re-render that failed takes a fresh edit: failed -> running again, and the rerun publishes the new edit', async () => {
    const { deps, input } = await publishedRun();
    const script = await reviewedScript(deps);
    await editPublishedScript(RUN_ID, withOpening(script), deps);
    // The re-render fails at publish (its record changed meanwhile, simulated once).
    replaceRecordOnceAfterRead(deps);
    expect(await runMonolithic(deps, input)).toMatchObject({ status: 'failed' });

    const second = 'Wombatcon';
    const edited = await editPublishedScript(
      RUN_ID,
      {
        ...script,
        turns: script.turns.map((t, i) => (i === 0 ? { ...t, text: `${second}! ${t.text}` } : t)),
      },
      deps
    );

    expect(edited).toMatchObject({ runAttempt: 3, episodeId: DATE });
    expect(await deps.runs.get(RUN_ID)).toMatchObject({ status: 'running', runAttempt: 3 });
    expect(await runMonolithic(deps, input)).toEqual({ status: 'succeeded' });
    const published = await record(deps);
    const transcript = [...deps.media.objects].find(
      ([k]) => k.startsWith(published.media.key.replace(/[^/]+$/, '')) && k.endsWith('.vtt')
    );
    expect(transcript?.[1].body.toString('utf8')).toContain(second);
    expect(transcript?.[1].body.toString('utf8')).not.toContain(PHRASE);
  });

  it('a bad edit, an edit of an unpublished run and a second concurrent edit change nothing', async () => {
    const { deps } = await publishedRun();
    const script = await reviewedScript(deps);
    const run = JSON.stringify(await deps.runs.get(RUN_ID));
    const objects = deps.media.objects.size;
    const eventCount = (await deps.events.list(RUN_ID)).length;
    await expect(editPublishedScript(RUN_ID, { ...script, turns: [] }, deps)).rejects.toThrow(
      ValidationError
    );
    const stranger = script.turns.map((t, i) => (i === 1 ? { ...t, speaker: 'stranger' } : t));
    await expect(editPublishedScript(RUN_ID, { ...script, turns: stranger }, deps)).rejects.toThrow(
      /the edited script fails review: speakers: turn \d+: speaker "stranger" is not a host/
    );
    await expect(editPublishedScript('no-such-run', script, deps)).rejects.toThrow(ApprovalStateError);
    expect(JSON.stringify(await deps.runs.get(RUN_ID))).toBe(run);
    expect(deps.media.objects.size).toBe(objects);
    expect(await deps.events.list(RUN_ID)).toHaveLength(eventCount);

    // Two edits at once: one reopens the run, the other is refused (a running run is not published).
    const [a, b] = await Promise.allSettled([
      editPublishedScript(RUN_ID, withOpening(script), deps),
      editPublishedScript(
        RUN_ID,
        { ...withOpening(script), episodeTitle: `${script.episodeTitle} (fixed)` },
        deps
      ),
    ]);
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    const refused = [a, b].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ApprovalStateError);
    expect(await deps.runs.get(RUN_ID)).toMatchObject({ status: 'running', runAttempt: 2 });
    expect(ofType(await deps.events.list(RUN_ID), 'script.edited')).toHaveLength(1);
  });
});
