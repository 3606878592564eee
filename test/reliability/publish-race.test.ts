/**
 * The publish race: two different runs publish the same podcast and date at the same moment. Both
 * pass publish's existence check, both write the episode's files, one wins the record's
 * conditional put. The files live under a version folder derived from their bytes, so neither
 * overwrites the other's: the winner's record (and the feed built from it) announces exactly the
 * bytes served, the loser fails with FatalStageError and its files stay orphaned under its own
 * version. Also: a redo of publish after its record vanished writes the same keys with the same bytes.
 */
import { feedStage } from '../../stages/feed/feed';
import { notesStage } from '../../stages/notes/notes';
import { leadingId3v2Length } from '../../stages/publish/id3v2';
import { publishStage } from '../../stages/publish/publish';
import { FatalStageError } from '../../stages/shared/errors';
import { sha256 } from '../../stages/shared/hashing';
import type { EpisodeRecord } from '../../stages/shared/ports';
import { type FakeDeps, makeFakeDeps } from '../fakes/fake-deps';
import { runCore } from '../helpers/run-core';
import {
  BASE_URL,
  type PublishingRun,
  script,
  seedRun,
  stageContext,
  stageInput,
} from '../unit/feed/publishing-fixtures';

const DATE = '2026-11-23';
const EPISODE_DIR = `podcasts/tech-weekly/episodes/${DATE}/`;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A run of its own (its mix bytes carry its runId) up to notes, in the shared fakes. */
async function readyRun(deps: FakeDeps, runId: string): Promise<PublishingRun> {
  const run = await seedRun({
    deps,
    runId,
    date: DATE,
    artwork: true,
    script: script(`Episode of ${runId}`),
  });
  run.stages.notes = await runCore(notesStage, stageInput(run), stageContext(run));
  return run;
}

const publish = (run: PublishingRun) => runCore(publishStage, stageInput(run), stageContext(run));

/**
 * Holds every conditional put until all the runs have reached it (each past its existence check,
 * its files written), then lets them through one at a time in the given order. A run that ends
 * without reaching it (it failed earlier) releases everyone, so a failing case fails, not hangs.
 */
function raceToTheRecord(deps: FakeDeps, order: readonly string[]): { ended: () => void } {
  const putOnce = deps.episodes.putOnce.bind(deps.episodes);
  const gate = () => {
    let open!: () => void;
    return { passed: new Promise<void>((resolve) => (open = resolve)), open: () => open() };
  };
  const everyoneThere = gate();
  const turns = order.map(gate);
  let arrived = 0;
  deps.episodes.putOnce = async (record) => {
    if (++arrived === order.length) everyoneThere.open();
    await everyoneThere.passed;
    const turn = order.indexOf(record.runId);
    if (turn > 0) await turns[turn - 1]?.passed;
    try {
      return await putOnce(record);
    } finally {
      turns[turn]?.open();
    }
  };
  return {
    ended: () => {
      everyoneThere.open();
      turns.forEach((turn) => turn.open());
    },
  };
}

/** The bucket key behind one of the podcast's public URLs. */
const keyOf = (url: string) => `podcasts/tech-weekly/${url.slice(`${BASE_URL}/`.length)}`;

/** Every episode URL of a record. */
function recordUrls(record: EpisodeRecord): string[] {
  const urls = [record.media.url, record.imageUrl, record.chaptersUrl, record.transcriptUrl, record.notesUrl];
  return urls.filter((url): url is string => url !== undefined);
}

const folderOf = (key: string) => key.slice(0, key.lastIndexOf('/') + 1);

describe('the publish race', () => {
  it.each([
    ['run-1', 'run-2'],
    ['run-2', 'run-1'],
  ])(
    'two runs racing to publish one episode: %s wins the record, whose URLs serve exactly its files; %s fails, its files orphaned under another version',
    async (winnerId, loserId) => {
      // Prepare: what the winner publishes when alone, to compare with.
      const alone = makeFakeDeps();
      await publish(await readyRun(alone, winnerId));
      const expected = (await alone.episodes.get('tech-weekly', DATE))!;
      const deps = makeFakeDeps();
      const winner = await readyRun(deps, winnerId);
      const loser = await readyRun(deps, loserId);
      const race = raceToTheRecord(deps, [winnerId, loserId]);

      // Act
      const [won, lost] = await Promise.allSettled([
        publish(winner).finally(race.ended),
        publish(loser).finally(race.ended),
      ]);

      // Assess: the record is the winner's, as it would be alone
      expect(won).toMatchObject({ status: 'fulfilled', value: { created: true } });
      expect(lost.status).toBe('rejected');
      const error = (lost as PromiseRejectedResult).reason as Error;
      expect(error).toBeInstanceOf(FatalStageError);
      expect(error.message).toMatch(
        new RegExp(`episode ${DATE} of podcast "tech-weekly" was already published by run "${winnerId}"`)
      );
      const record = (await deps.episodes.get('tech-weekly', DATE))!;
      expect(record).toEqual(expected);
      // Every URL of the record serves the winner's bytes; the enclosure length is the MP3's.
      for (const url of recordUrls(record)) {
        const served = deps.media.objects.get(keyOf(url));
        expect([url, served && sha256(served.body)]).toEqual([
          url,
          sha256(alone.media.objects.get(keyOf(url))!.body),
        ]);
        expect([url, served?.cacheControl]).toEqual([url, IMMUTABLE]);
      }
      const mp3 = deps.media.objects.get(record.media.key)!.body;
      expect(mp3.length).toBe(record.media.bytes);
      expect(mp3.subarray(leadingId3v2Length(mp3)).toString()).toBe(`ID3-fake-mp3-${winnerId}`);

      // The loser wrote all its files too, under a version of its own, which nothing points at.
      const winnerFolder = folderOf(record.media.key);
      const orphans = (await deps.media.list(EPISODE_DIR)).filter((key) => !key.startsWith(winnerFolder));
      expect(orphans).toHaveLength(5);
      expect(new Set(orphans.map(folderOf)).size).toBe(1);
      const orphanMp3 = deps.media.objects.get(`${folderOf(orphans[0]!)}episode.mp3`)!.body;
      expect(orphanMp3.subarray(leadingId3v2Length(orphanMp3)).toString()).toBe(`ID3-fake-mp3-${loserId}`);

      // The feed built from the record announces what is served.
      const feed = await runCore(
        feedStage,
        {
          ...stageInput(winner),
          stages: { ...winner.stages, publish: (won as PromiseFulfilledResult<unknown>).value },
        },
        stageContext(winner)
      );
      const xml = deps.feeds.text(feed.key);
      const enclosure = /<enclosure url="([^"]+)" length="(\d+)"/.exec(xml);
      expect(enclosure?.[1]).toBe(record.media.url);
      expect(Number(enclosure?.[2])).toBe(deps.media.objects.get(keyOf(enclosure![1]!))!.body.length);
      expect(xml).not.toContain(folderOf(orphans[0]!).slice('podcasts/tech-weekly/'.length));
    }
  );

  it('a redo of publish after its record vanished writes the same keys with the same bytes', async () => {
    // Prepare
    const deps = makeFakeDeps();
    const run = await readyRun(deps, 'run-1');
    const first = await publish(run);
    const record = await deps.episodes.get('tech-weekly', DATE);
    const files = async () =>
      Promise.all(
        (await deps.media.list(EPISODE_DIR)).map(async (key) => {
          const object = (await deps.media.get(key))!;
          return {
            key,
            sha256: sha256(object.body),
            contentType: object.contentType,
            cacheControl: object.cacheControl,
          };
        })
      );
    const before = await files();
    deps.episodes.episodes.clear();
    const written: string[] = [];
    const put = deps.media.put.bind(deps.media);
    deps.media.put = async (key, ...rest) => {
      written.push(key);
      return put(key, ...rest);
    };

    // Act
    const redo = await publish(run);

    // Assess: every file written again, at the same key, with the same bytes; the same record
    expect(redo).toEqual(first);
    expect(written.filter((key) => key.startsWith(EPISODE_DIR)).sort()).toEqual(before.map((f) => f.key));
    expect(await files()).toEqual(before);
    expect(await deps.episodes.get('tech-weekly', DATE)).toEqual(record);
  });
});
