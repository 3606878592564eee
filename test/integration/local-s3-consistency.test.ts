/**
 * The local S3 server answers like S3: a PUT is whole before it answers (a GET right after reads
 * it all), and a GET during another PUT of the same key reads the old object or the new one,
 * never a part (containers/orchestrator/local/s3rver-atomic-put.ts).
 */
import { startTestServers, type TestServers } from '../helpers/local-servers';

let local: TestServers;

beforeAll(async () => {
  local = await startTestServers();
});

afterAll(async () => {
  await local?.stop();
});

const body = (fill: string, bytes: number) => Buffer.alloc(bytes, fill);

describe('the local S3 server', () => {
  it('reads a PUT whole right after it answers, many times in a row', async () => {
    const { media } = local.persistence;
    for (let i = 0; i < 20; i++) {
      const expected = body(String.fromCharCode(97 + (i % 26)), 512 * 1024 + i);
      await media.put('runs/consistency/after.bin', expected, 'application/octet-stream');
      const read = await media.get('runs/consistency/after.bin');
      expect(read?.body.length).toBe(expected.length);
      expect(read?.body.equals(expected)).toBe(true);
    }
  });

  it('reads the old object or the new one during a second PUT of the key, never a part of one', async () => {
    const { media } = local.persistence;
    const key = 'runs/consistency/during.bin';
    const first = body('a', 2 * 1024 * 1024);
    const second = body('b', 3 * 1024 * 1024);
    await media.put(key, first, 'application/octet-stream');

    const [, ...reads] = await Promise.all([
      media.put(key, second, 'application/octet-stream'),
      ...Array.from({ length: 12 }, () => media.get(key)),
    ]);

    for (const read of reads) {
      const seen = read?.body;
      expect(seen !== undefined && (seen.equals(first) || seen.equals(second))).toBe(true);
    }
    expect((await media.get(key))?.body.equals(second)).toBe(true);
  });
});
