/**
 * The final script as the audio stages read it (tts, mix, artwork): the reviewed script when
 * review ran, else the draft, checked against the script schema, and each turn's host.
 */
import { getJson } from '../shared/artifact-keys';
import type { Host, PodcastConfig } from '../shared/config-schema';
import type { Script, ScriptTurn } from '../shared/content-types';
import { FatalStageError } from '../shared/errors';
import type { ArtifactStore } from '../shared/ports';
import { describeIssues } from '../shared/validation';
import { scriptSchema } from '../script/schema';

/** Reads and checks the script at `key`; a malformed artifact is a FatalStageError naming the problem. */
export async function readFinalScript(store: ArtifactStore, key: string): Promise<Script> {
  const raw = await getJson<unknown>(store, key);
  const result = scriptSchema.safeParse(raw);
  if (!result.success) {
    const { message } = describeIssues(result.error, 'script');
    throw new FatalStageError(`script s3://${store.bucket}/${key} is malformed: ${message}`);
  }
  const seen = new Set<number>();
  for (const turn of result.data.turns) {
    if (seen.has(turn.index))
      throw new FatalStageError(`script s3://${store.bucket}/${key}: turn index ${turn.index} appears twice`);
    seen.add(turn.index);
  }
  return result.data;
}

/**
 * The host who speaks a turn: by id (what writers and review produce), else by id or name
 * ignoring case. Anyone else is a FatalStageError naming the turn and the speaker.
 */
export function hostForTurn(podcast: PodcastConfig, turn: Pick<ScriptTurn, 'index' | 'speaker'>): Host {
  const exact = podcast.hosts.find((host) => host.id === turn.speaker);
  if (exact) return exact;
  const wanted = turn.speaker.trim().toLowerCase();
  const loose = podcast.hosts.find((host) => host.id === wanted || host.name.trim().toLowerCase() === wanted);
  if (loose) return loose;
  throw new FatalStageError(
    `turn ${turn.index}: speaker "${turn.speaker}" is not a host of ${podcast.podcastId} (${podcast.hosts.map((h) => h.id).join(', ')})`
  );
}

/** The clip file name for a turn: its index padded to 4 digits, so keys sort in turn order. */
export function clipFileName(turnIndex: number): string {
  return `${String(turnIndex).padStart(4, '0')}.wav`;
}
