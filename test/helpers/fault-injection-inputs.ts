/**
 * fast-check arbitraries for bad-input tests: pipeline run inputs and podcast configs that are
 * valid, slightly broken (one field deleted, retyped, replaced by junk, a huge or odd unicode
 * string, a bad date, an extra field, a stage flag that cannot be) or garbage (any JSON value).
 * Inputs arrive as JSON (file, stdin, PIPELINE_INPUT, Step Functions), so values are JSON values.
 */
import fc from 'fast-check';
import { STAGES } from '../../stages/pipeline-plan';
import { podcastConfigSchema } from '../../stages/shared/config-schema';
import { hostNameKey } from '../../stages/shared/host-names';

export const STORED_PODCAST_ID = 'test-pod';

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-';
const idTail = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...ID_CHARS.split('')), minLength: min, maxLength: max });
const lowerId = (max: number) =>
  fc
    .tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')), idTail(1, max))
    .map(([a, b]) => a + b);
/** What the config's text rule refuses (config-schema.ts `text()`): the valid inputs never hold it. */
const REFUSED_TEXT = /[\p{Cc}\u2028\u2029\uFFFE\uFFFF]/u;

const text = (min: number, max: number) =>
  fc
    .string({ unit: 'grapheme', minLength: min, maxLength: max })
    .filter((s) => s.length >= min && s.length <= max && !REFUSED_TEXT.test(s.replace(/[\t\n\r]/g, '')));

/** A podcast config the schema accepts (two to four hosts, one to three sources). */
export function validPodcastArb(
  podcastId: fc.Arbitrary<string> = lowerId(20)
): fc.Arbitrary<Record<string, unknown>> {
  const host = (id: string, role: string) =>
    fc.record({
      id: fc.constant(id),
      name: text(1, 60),
      role: fc.constant(role),
      voice: fc.record({ pitch: fc.integer({ min: 0, max: 99 }), speed: fc.integer({ min: 80, max: 260 }) }),
    });
  const source = (id: string) =>
    fc.record({
      id: fc.constant(id),
      name: text(1, 80),
      feedUrl: fc.constantFrom('https://news.example.com/feed.xml', 'http://x.example/rss'),
    });
  return (
    fc
      .record(
        {
          podcastId,
          title: text(1, 120),
          description: text(1, 400),
          author: text(1, 120),
          publicBaseUrl: fc.constantFrom('https://podcasts.example.com/p', 'http://cdn.example.org'),
          hosts: fc
            .integer({ min: 1, max: 4 })
            .chain((n) =>
              fc.tuple(
                ...Array.from({ length: n }, (_, i) => host(`host-${i}`, i === 0 ? 'lead' : 'co-host'))
              )
            )
            // Host names tell hosts apart (host-names.ts): a valid config has no two alike.
            .filter((hosts) => new Set(hosts.map((h) => hostNameKey(h.name))).size === hosts.length),
          sources: fc
            .integer({ min: 1, max: 3 })
            .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => source(`source-${i}`)))),
          targetMinutes: fc.integer({ min: 1, max: 60 }),
          maxStories: fc.integer({ min: 1, max: 20 }),
          topics: fc.array(
            text(2, 40).filter((t) => t.length >= 2),
            { maxLength: 5 }
          ),
          explicit: fc.boolean(),
        },
        { requiredKeys: ['podcastId', 'title', 'description', 'author', 'publicBaseUrl', 'hosts', 'sources'] }
      )
      // The length rule (length-plan.ts) is the one cross-field check: a target the story counts
      // cannot fill is bad input, named by the schema; the others stay generated as they come.
      .filter((config) => {
        const parsed = podcastConfigSchema.safeParse(config);
        return parsed.success || !parsed.error.issues.some((issue) => issue.path.includes('targetMinutes'));
      })
  );
}

const validDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const optionalStages = STAGES.filter((s) => s.optional).map((s) => s.id);
const requiredStages = STAGES.filter((s) => !s.optional).map((s) => s.id);

/** A run input prepare accepts: a stored podcast by id, or an inline config with the same id. */
export function validRunInputArb(): fc.Arbitrary<Record<string, unknown>> {
  const runId = fc
    .tuple(
      fc.constantFrom(...'abcXYZ019'.split('')),
      fc.string({ unit: fc.constantFrom(...'aZ09_-'.split('')), maxLength: 79 })
    )
    .map(([a, b]) => a + b);
  const flags = fc.record(
    {
      useMonolithicOrchestrator: fc.boolean(),
      enable: fc.dictionary(fc.constantFrom(...optionalStages), fc.boolean(), {
        maxKeys: optionalStages.length,
      }),
    },
    { requiredKeys: [] }
  );
  const episode = fc.record({ date: validDate, title: text(1, 200) }, { requiredKeys: [] });
  const byId = fc.record(
    { runId, podcastId: fc.constant(STORED_PODCAST_ID), episode, flags },
    { requiredKeys: ['runId', 'podcastId'] }
  );
  const inline = lowerId(20).chain((podcastId) =>
    fc.record(
      {
        runId,
        podcastId: fc.constant(podcastId),
        episode,
        flags,
        podcast: validPodcastArb(fc.constant(podcastId)),
      },
      { requiredKeys: ['runId', 'podcastId', 'podcast'] }
    )
  );
  return fc.oneof(byId, inline);
}

/** Junk to put where a field was: wrong types, nested JSON, huge and odd strings, bad dates. */
export function junkArb(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.string({ unit: 'binary', maxLength: 64 }),
    fc.string({ unit: 'grapheme', maxLength: 64 }),
    fc.constantFrom(
      '2026-02-30',
      '2026-13-01',
      '26-11-23',
      'yesterday',
      '2026-11-23T00:00:00Z',
      '',
      ' ',
      '\u0000',
      'NaN',
      '../../etc/passwd',
      'file:///etc/passwd',
      '__proto__',
      'constructor'
    ),
    fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 3.5, [], {}, [[[]]], {
      nested: { deeper: { deepest: [1, 'a', null] } },
    }),
    fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
    fc.integer({ min: 1_000, max: 20_000 }).map((n) => '\u{1F3A7}\u0301'.repeat(n))
  );
}

type Json = unknown;
type Path = (string | number)[];

function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value as Record<string, Json>);
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

export type Mutation = 'delete' | 'replace' | 'extra' | 'disable-required' | 'unknown-stage';

/** Applies one mutation at the `pick`-th path (a deep copy; the original is left alone). */
export function mutate(
  value: Record<string, unknown>,
  pick: number,
  mutation: Mutation,
  junk: unknown,
  extraKey: string
): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  if (mutation === 'disable-required' || mutation === 'unknown-stage') {
    const stage =
      mutation === 'unknown-stage'
        ? `no-such-${extraKey}`
        : (requiredStages[pick % requiredStages.length] as string);
    const flags = (copy.flags && typeof copy.flags === 'object' ? copy.flags : (copy.flags = {})) as Record<
      string,
      unknown
    >;
    flags.enable = { ...(flags.enable as object | undefined), [stage]: false };
    return copy;
  }
  const paths = pathsOf(copy);
  const path = paths[pick % paths.length] as Path;
  if (path.length === 0) return mutation === 'extra' ? { ...copy, [extraKey]: junk } : junk;
  const parent = path
    .slice(0, -1)
    .reduce<Json>((node, key) => (node as Record<string | number, Json>)[key], copy) as Record<
    string | number,
    Json
  >;
  const key = path[path.length - 1] as string | number;
  if (mutation === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (mutation === 'replace') {
    parent[key] = junk;
  } else if (parent && typeof parent === 'object' && !Array.isArray(parent)) {
    parent[extraKey] = junk;
  } else {
    parent[key] = { value: parent[key], [extraKey]: junk };
  }
  return copy;
}

export type InputCase =
  | { kind: 'valid'; raw: Record<string, unknown> }
  | { kind: 'broken'; raw: unknown; mutation: Mutation }
  | { kind: 'garbage'; raw: unknown };

/** Valid, slightly broken and garbage run inputs, labelled. */
export function runInputCaseArb(): fc.Arbitrary<InputCase> {
  const valid = validRunInputArb().map((raw): InputCase => ({ kind: 'valid', raw }));
  const broken = fc
    .tuple(
      validRunInputArb(),
      fc.nat(),
      fc.constantFrom<Mutation>('delete', 'replace', 'replace', 'extra', 'disable-required', 'unknown-stage'),
      junkArb(),
      fc.string({ minLength: 1, maxLength: 12 })
    )
    .map(([raw, pick, mutation, junk, extraKey]): InputCase => ({
      kind: 'broken',
      raw: mutate(raw, pick, mutation, junk, extraKey),
      mutation,
    }));
  const garbage = fc
    .oneof(
      junkArb(),
      fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })
    )
    .map((raw): InputCase => ({ kind: 'garbage', raw }));
  return fc.oneof(
    { arbitrary: valid, weight: 2 },
    { arbitrary: broken, weight: 5 },
    { arbitrary: garbage, weight: 2 }
  );
}
