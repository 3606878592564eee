/**
 * Who speaks an episode and in what language: what a speech provider needs to give every host a
 * voice that stays the same from episode to episode and sounds unlike the other hosts'.
 *
 * Each provider has VOICE_SLOTS voices per language, chosen to be clearly distinct (mespeak: four
 * pitch and variant settings whose median pitches lie at least 35% apart; Polly: four different
 * neural voices). A host's slot is a function of host ids only: the slot its id hashes to, or,
 * when a host whose id sorts first took it already, the next free one. The order of the hosts in
 * the config never matters, nothing is random, and a host keeps its slot as long as no host with
 * an earlier id claims the same one. Settings in a host's `voice` pin parts of the voice outright.
 */
import type { Host, PodcastConfig } from './config-schema';
import { sha256 } from './hashing';

/** Voices per language each provider keeps apart; the schema allows at most this many hosts. */
export const VOICE_SLOTS = 4;

export interface VoiceCast {
  /** The podcast's language tag (languages.ts), e.g. "en-us". */
  language: string;
  /** Every host of the podcast (only their ids matter for the slots). */
  hosts: readonly Pick<Host, 'id'>[];
}

/** The cast of a podcast's episodes. */
export function castOf(podcast: Pick<PodcastConfig, 'language' | 'hosts'>): VoiceCast {
  return { language: podcast.language, hosts: podcast.hosts };
}

/** The slot a host id hashes to, before clashes are settled. */
export function preferredSlot(hostId: string): number {
  return parseInt(sha256(`voice:${hostId}`).slice(0, 8), 16) % VOICE_SLOTS;
}

/**
 * The voice slot of every host id: hosts claim slots in the order of their ids, each its preferred
 * slot, or the next free one (wrapping) when that is taken. Distinct for up to VOICE_SLOTS hosts.
 */
export function voiceSlots(hostIds: readonly string[]): Map<string, number> {
  const ids = [...new Set(hostIds)].sort();
  if (ids.length > VOICE_SLOTS)
    throw new Error(`hosts: at most ${VOICE_SLOTS} hosts get distinct voices, not ${ids.length}`);
  const taken = new Set<number>();
  const slots = new Map<string, number>();
  for (const id of ids) {
    let slot = preferredSlot(id);
    while (taken.has(slot)) slot = (slot + 1) % VOICE_SLOTS;
    taken.add(slot);
    slots.set(id, slot);
  }
  return slots;
}

/** The voice slot of a host in a cast; a host the cast does not list is placed as if it did. */
export function voiceSlotOf(hostId: string, cast: Pick<VoiceCast, 'hosts'>): number {
  const ids = cast.hosts.map((h) => h.id);
  if (ids.includes(hostId)) return voiceSlots(ids).get(hostId) ?? preferredSlot(hostId);
  return ids.length < VOICE_SLOTS
    ? (voiceSlots([...ids, hostId]).get(hostId) ?? preferredSlot(hostId))
    : preferredSlot(hostId);
}
