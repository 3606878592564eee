import { STAGES } from '../../stages/pipeline-plan';
import { type PlanStage, planStageIds, planStages } from '../../stepfunctions/stage-plan';

const s = (id: string, ...dependsOn: string[]): PlanStage => ({ id, dependsOn });

describe('planStages', () => {
  it('turns the registry into a chain with one parallel section after review', () => {
    // Act
    const plan = planStages(STAGES);

    // Assess
    expect(plan).toEqual([
      ...['prepare', 'discover', 'scrape', 'summarize', 'outline', 'script', 'review'].map((id) => ({
        kind: 'stage',
        id,
      })),
      {
        kind: 'parallel',
        branches: [
          [
            { kind: 'stage', id: 'tts' },
            { kind: 'stage', id: 'mix' },
            { kind: 'stage', id: 'notes' },
          ],
          [{ kind: 'stage', id: 'artwork' }],
        ],
      },
      { kind: 'stage', id: 'publish' },
      { kind: 'stage', id: 'feed' },
    ]);
    expect(planStageIds(plan).sort()).toEqual(STAGES.map((st) => st.id).sort());
  });

  it('nests a fork inside a branch and ignores implied (transitive) dependencies', () => {
    const stages = [
      s('a'),
      s('b', 'a'),
      s('c', 'b', 'a'),
      s('d', 'b'),
      s('e', 'c', 'd'),
      s('f', 'a'),
      s('g', 'e', 'f', 'a'),
    ];

    const plan = planStages(stages);

    expect(plan).toEqual([
      { kind: 'stage', id: 'a' },
      {
        kind: 'parallel',
        branches: [
          [
            { kind: 'stage', id: 'b' },
            { kind: 'parallel', branches: [[{ kind: 'stage', id: 'c' }], [{ kind: 'stage', id: 'd' }]] },
            { kind: 'stage', id: 'e' },
          ],
          [{ kind: 'stage', id: 'f' }],
        ],
      },
      { kind: 'stage', id: 'g' },
    ]);
  });

  it('ends a branch in a nested parallel section that joins where the outer one does', () => {
    const stages = [s('a'), s('b', 'a'), s('c', 'b'), s('d', 'b'), s('e', 'a'), s('z', 'c', 'd', 'e')];

    const plan = planStages(stages);

    expect(plan[1]).toEqual({
      kind: 'parallel',
      branches: [
        [
          { kind: 'stage', id: 'b' },
          { kind: 'parallel', branches: [[{ kind: 'stage', id: 'c' }], [{ kind: 'stage', id: 'd' }]] },
        ],
        [{ kind: 'stage', id: 'e' }],
      ],
    });
  });

  it.each([
    ['a cycle', [s('a'), s('b', 'a', 'c'), s('c', 'b')], 'the dependencies of b, c form a cycle'],
    ['an unknown dependency', [s('a'), s('b', 'x')], 'stage "b" depends on unknown stage "x"'],
    [
      'two first stages',
      [s('a'), s('b'), s('c', 'a', 'b')],
      'exactly one first stage (no dependsOn); found a, b',
    ],
    [
      'branches that never join',
      [s('a'), s('b', 'a'), s('c', 'a')],
      'the branches after "a" (b, c) never join again',
    ],
    // a -> b, a -> c, b -> d, b -> e, c -> e, d,e -> f: e depends on both branches of a's fork.
    [
      'a cross-branch dependency',
      [s('a'), s('b', 'a'), s('c', 'a'), s('d', 'b'), s('e', 'b', 'c'), s('f', 'd', 'e')],
      'not series-parallel',
    ],
    ['no stages', [], 'the registry has no stages'],
  ])('rejects %s with a clear error', (_what, stages, message) => {
    expect(() => planStages(stages)).toThrow(message);
  });
});
