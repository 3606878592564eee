import { z } from 'zod';
import { readCheckpoint, writeCheckpoint } from '../../../stages/shared/checkpoint';
import { InMemoryArtifactStore } from '../../fakes/in-memory-artifact-store';

const KEY = 'runs/run-1/outline/output.json';
const schema = z.object({ key: z.string(), segments: z.number().int() });

async function readBody(body: string) {
  const store = new InMemoryArtifactStore();
  await store.put(KEY, body, 'application/json');
  return readCheckpoint(store, KEY, schema, 'outline');
}

describe('readCheckpoint', () => {
  it('returns a written checkpoint as it was stored', async () => {
    const store = new InMemoryArtifactStore();
    await writeCheckpoint(store, KEY, { inputHash: 'abc', output: { key: 'k', segments: 3 } });

    expect(await readCheckpoint(store, KEY, schema, 'outline')).toEqual({
      state: 'found',
      checkpoint: { inputHash: 'abc', output: { key: 'k', segments: 3 } },
    });
  });

  it('reports a missing checkpoint as missing', async () => {
    expect(await readCheckpoint(new InMemoryArtifactStore(), KEY, schema, 'outline')).toEqual({
      state: 'missing',
    });
  });

  test.each([
    ['truncated JSON', '{"inputHash": "abc", "output": {"ke', /^not valid JSON: /],
    ['an empty file', '', /^not valid JSON: /],
    ['a JSON array', '[]', /^not a checkpoint object$/],
    ['JSON null', 'null', /^not a checkpoint object$/],
    [
      'no input hash',
      '{"output": {"key": "k", "segments": 3}}',
      /^not a checkpoint: inputHash or output is missing$/,
    ],
    ['no output', '{"inputHash": "abc"}', /^not a checkpoint: inputHash or output is missing$/],
    [
      'an output the schema rejects',
      '{"inputHash": "abc", "output": {"key": "k", "segments": "three"}}',
      /^the stored manifest fails the outline output schema: outline output\.segments: /,
    ],
  ])('reports %s as corrupt, with the reason, without throwing', async (_what, body, reason) => {
    const read = await readBody(body);

    expect(read).toEqual({ state: 'corrupt', reason: expect.stringMatching(reason) });
  });

  it('keeps a reason short when the parser quotes a large document', async () => {
    const read = await readBody(`{"inputHash": "abc", "output": ${'x'.repeat(5000)}}`);

    expect(read.state === 'corrupt' && read.reason.length).toBeLessThanOrEqual(250);
  });
});
