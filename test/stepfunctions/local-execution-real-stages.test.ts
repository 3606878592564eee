/**
 * The distributed mode end to end in one process: the committed definition, every Lambda state
 * bound to its real handler module, the ECS states to the real stage-task code (in-process), on
 * in-memory persistence with the shipped tech-weekly example: the real fetcher (file://), offline
 * writer; speech, mixing and cover art are quick stand-ins (mespeak, ffmpeg and the offline
 * renderer take tens of seconds here and have their own tests).
 */
import path from 'node:path';
import { loadPodcastConfigFile } from '../../containers/orchestrator/local/podcast-config-file';
import { wavDurationMs } from '../../stages/shared/adapters/audio/wav';
import { createProviders } from '../../stages/shared/adapters/create-providers';
import { EXAMPLE_FETCH_POLICY } from '../fixtures/example-fetch-policy';
import type { AudioMixer, ProviderSet } from '../../stages/shared/providers';
import { artifactKeys } from '../../stages/shared/artifact-keys';
import { STAGES } from '../../stages/pipeline-plan';
import type { JsonValue } from '../../stepfunctions/asl-types';
import { runLocalStateMachine } from '../../stepfunctions/local/run-local-state-machine';
import { makeFakeDeps } from '../fakes/fake-deps';
import { quickArtwork, quickSpeech } from '../helpers/fault-injection-providers';

/** Lays the clips end to end after the intro, as the real mixer reports them. */
const quickMixer: AudioMixer = {
  async mix(clips, { introMs, outroMs }) {
    const clipStartsMs: number[] = [];
    const clipDurationsMs: number[] = [];
    let at = introMs;
    for (const clip of clips) {
      const duration = wavDurationMs(clip.wav);
      clipStartsMs.push(at);
      clipDurationsMs.push(duration);
      at += duration + clip.pauseAfterMs;
    }
    return {
      mp3: Buffer.from(`ID3 test mix of ${clips.length} clips`),
      durationMs: at + outroMs,
      loudness: { integratedLufs: -16, truePeakDbtp: -2 },
      clipStartsMs,
      clipDurationsMs,
    };
  },
};

function providers(): ProviderSet {
  const real = createProviders({ fetchPolicy: EXAMPLE_FETCH_POLICY });
  return {
    ...real,
    mixer: quickMixer,
    artwork: quickArtwork,
    speechFor: () => quickSpeech,
    writerFor: (podcast) => real.writerFor(podcast),
  };
}

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'tech-weekly', 'podcast.json');

describe('the state machine with the real stage handlers', () => {
  it('publishes the example episode and its feed', async () => {
    // Prepare
    const podcast = await loadPodcastConfigFile(EXAMPLE);
    const deps = makeFakeDeps({ providers: providers() });
    const runId = 'tech-weekly-sfn-local';
    const input = JSON.parse(
      JSON.stringify({
        runId,
        podcastId: 'tech-weekly',
        episode: { date: '2026-11-23' },
        podcast,
        flags: { useMonolithicOrchestrator: false },
      })
    ) as JsonValue;

    // Act
    const result = await runLocalStateMachine(input, {
      deps,
      ecsMode: 'in-process',
      retryIntervalOverrides: 0,
    });

    // Assess
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    // 29: the plan's states, CheckDiscoverSkipsRun (story memory) and CheckReviewApproval included.
    expect(result.transitions).toBe(29);
    const run = await deps.runs.get(runId);
    expect(run).toMatchObject({
      status: 'succeeded',
      mode: 'distributed',
      episodeId: '2026-11-23',
      progressPercent: 100,
    });
    const units = STAGES.flatMap((s) =>
      s.fanOut ? Array.from({ length: s.fanOut.shards }, (_, i) => `${s.id}/${i}`) : [s.id]
    );
    expect([...(run?.doneUnits ?? [])].sort()).toEqual(units.sort());
    const publish = (
      result.output as { stages: { publish: { guid: string; mediaKey: string; created: boolean } } }
    ).stages.publish;
    expect(publish.created).toBe(true);
    expect(await deps.media.exists(publish.mediaKey)).toBe(true);
    expect(await deps.episodes.get('tech-weekly', '2026-11-23')).toMatchObject({ guid: publish.guid });
    expect(deps.feeds.text(artifactKeys.feed('tech-weekly'))).toContain(publish.guid);
  }, 20_000);
});
