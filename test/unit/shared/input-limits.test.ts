/**
 * The input limits every entry point applies (stages/shared/input-limits.ts): the byte caps with
 * messages that give the size and the cap, and the `__proto__` / `constructor` / `prototype` keys
 * that JSON.parse keeps as own properties and zod would drop silently rather than reject.
 */
import * as z from 'zod';
import { ValidationError } from '../../../stages/shared/errors';
import { sha256 } from '../../../stages/shared/hashing';
import {
  checkByteSize,
  checkRunInputLimits,
  findUnsafeKey,
  formatBytes,
  inputFootprint,
  PODCAST_CONFIG_MAX_BYTES,
  RUN_INPUT_MAX_BYTES,
} from '../../../stages/shared/input-limits';

const thrown = (fn: () => void): ValidationError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
};

describe('byte caps', () => {
  it('are 64 KiB for a run input and 256 KiB for a podcast config', () => {
    expect([RUN_INPUT_MAX_BYTES, PODCAST_CONFIG_MAX_BYTES]).toEqual([65_536, 262_144]);
    expect([formatBytes(512), formatBytes(65_536), formatBytes(10 * 1024 * 1024 + 300)]).toEqual([
      '512 bytes',
      '64 KiB',
      '10.0 MiB',
    ]);
  });

  it('let a value at the cap through and name the size and the cap over it', () => {
    expect(() => checkByteSize(RUN_INPUT_MAX_BYTES, RUN_INPUT_MAX_BYTES, 'input', 'input')).not.toThrow();

    const error = thrown(() =>
      checkByteSize(RUN_INPUT_MAX_BYTES + 1, RUN_INPUT_MAX_BYTES, 'PIPELINE_INPUT', 'input')
    );

    expect(error.message).toBe('PIPELINE_INPUT is 64.0 KiB (65537 bytes), over the 64 KiB cap');
    expect(error.field).toBe('input');
    expect(thrown(() => checkByteSize(70_000, RUN_INPUT_MAX_BYTES, 'stdin', 'input', true)).message).toBe(
      'stdin is more than 64 KiB, over the 64 KiB cap'
    );
  });

  it('hold the whole run input, serialized, to 64 KiB (a 10 MB title inline)', () => {
    const raw = { runId: 'r1', podcastId: 'tech-weekly', episode: { title: 'x'.repeat(10 * 1024 * 1024) } };

    const error = thrown(() => checkRunInputLimits(raw));

    expect(error.message).toMatch(
      /^input: the run input is 10\.0 MiB \(10485\d{3} bytes\), over the 64 KiB cap$/
    );
    expect(error.field).toBe('input');
  });
});

describe('unsafe keys', () => {
  it('finds __proto__ as JSON.parse leaves it (an own property), with its path', () => {
    const parsed = JSON.parse('{"podcastId":"p","episode":{"__proto__":{"polluted":true}}}') as unknown;

    expect(findUnsafeKey(parsed, 'input')).toBe('input.episode.__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['{"constructor":{"prototype":{}}}', 'input.constructor'],
    ['{"podcast":{"hosts":[{"id":"a"},{"prototype":1}]}}', 'input.podcast.hosts.1.prototype'],
    ['{"flags":{"enable":{"__proto__":true}}}', 'input.flags.enable.__proto__'],
    ['{"title":"constructor","topics":["__proto__"]}', undefined],
  ])('%s -> %s (keys only, never values)', (json, path) => {
    expect(findUnsafeKey(JSON.parse(json) as unknown, 'input')).toBe(path);
  });

  it('is needed: zod drops such keys silently in records and non-strict objects', () => {
    const parsed = JSON.parse('{"enable":{"__proto__":true},"host":{"name":"a","__proto__":{}}}') as unknown;
    const schema = z
      .object({ enable: z.record(z.string(), z.boolean()), host: z.object({ name: z.string() }) })
      .strict();

    expect(schema.safeParse(parsed).success).toBe(true);
    expect(thrown(() => checkRunInputLimits(parsed)).message).toBe(
      'input.enable.__proto__: the key "__proto__" is not allowed'
    );
  });
});

describe('inputFootprint', () => {
  it('is the size and sha256 of the JSON text, not the text', () => {
    const raw = { runId: 'r1', podcastId: 'p1', episode: { title: 'é' } };
    const json = JSON.stringify(raw);

    expect(inputFootprint(raw)).toEqual({ bytes: Buffer.byteLength(json), sha256: sha256(json) });
    expect(inputFootprint(undefined)).toEqual({ bytes: 4, sha256: sha256('null') });
  });
});
