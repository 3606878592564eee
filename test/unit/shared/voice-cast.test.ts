/**
 * Voice slots (voice-cast.ts): distinct for up to four hosts, a function of the host ids only
 * (never their order), and stable when a host joins whose id sorts after everyone else's.
 */
import fc from 'fast-check';
import { preferredSlot, VOICE_SLOTS, voiceSlotOf, voiceSlots } from '../../../stages/shared/voice-cast';

const hostId = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const cast = fc.uniqueArray(hostId, { minLength: 1, maxLength: VOICE_SLOTS });

describe('voiceSlots', () => {
  it('gives up to four hosts distinct slots, whatever the order of the list', () => {
    fc.assert(
      fc.property(cast, fc.nat(), (ids, shift) => {
        const slots = voiceSlots(ids);
        const rotated = [...ids.slice(shift % ids.length), ...ids.slice(0, shift % ids.length)];

        expect(new Set(slots.values()).size).toBe(ids.length);
        for (const slot of slots.values()) expect(slot >= 0 && slot < VOICE_SLOTS).toBe(true);
        expect(voiceSlots(rotated)).toEqual(slots);
      })
    );
  });

  it('gives each host the slot its id hashes to when no earlier id took it', () => {
    fc.assert(
      fc.property(cast, (ids) => {
        const first = [...ids].sort()[0] as string;
        expect(voiceSlots(ids).get(first)).toBe(preferredSlot(first));
      })
    );
  });

  it('keeps every host in place when a host whose id sorts last joins', () => {
    fc.assert(
      fc.property(fc.uniqueArray(hostId, { minLength: 1, maxLength: VOICE_SLOTS - 1 }), (ids) => {
        const before = voiceSlots(ids);
        const after = voiceSlots([...ids, `zz${[...ids].sort().pop() ?? ''}`]);
        for (const [id, slot] of before) expect(after.get(id)).toBe(slot);
      })
    );
  });

  it('places a host the cast does not list as if it did, and refuses a fifth host', () => {
    expect(voiceSlotOf('cleo', { hosts: [{ id: 'ava' }, { id: 'ben' }] })).toBe(
      voiceSlots(['ava', 'ben', 'cleo']).get('cleo')
    );
    expect(voiceSlotOf('ava', { hosts: [] })).toBe(preferredSlot('ava'));
    expect(() => voiceSlots(['a', 'b', 'c', 'd', 'e'])).toThrow('at most 4 hosts get distinct voices, not 5');
  });
});
