/**
 * The plan's DAG as a series-parallel plan: a sequence of stages, where a fork (several stages
 * ready together) becomes a parallel item whose branches are chains that join again at the next
 * stage depending on all of them. Step Functions can only express such graphs (a Parallel state's
 * branches cannot see each other), so anything else is rejected with a clear error.
 */

export interface PlanStage {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

export type PlanItem = { kind: 'stage'; id: string } | { kind: 'parallel'; branches: PlanItem[][] };

const NOT_SP = 'the DAG is not series-parallel';

export class UnsupportedDagError extends Error {
  override readonly name = 'UnsupportedDagError';
}

interface Graph {
  order: string[];
  preds: Map<string, string[]>;
  succs: Map<string, string[]>;
  descendants: Map<string, Set<string>>;
}

/** Registry order, checked for unknown dependencies and cycles. */
function topologicalOrder(stages: readonly PlanStage[]): string[] {
  const ids = new Set(stages.map((s) => s.id));
  if (ids.size !== stages.length) throw new UnsupportedDagError('stage ids must be unique');
  for (const stage of stages) {
    for (const dep of stage.dependsOn) {
      if (!ids.has(dep))
        throw new UnsupportedDagError(`stage "${stage.id}" depends on unknown stage "${dep}"`);
    }
  }
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < stages.length) {
    const ready = stages.find((s) => !placed.has(s.id) && s.dependsOn.every((d) => placed.has(d)));
    if (!ready) {
      const stuck = stages.filter((s) => !placed.has(s.id)).map((s) => s.id);
      throw new UnsupportedDagError(`the dependencies of ${stuck.join(', ')} form a cycle`);
    }
    placed.add(ready.id);
    order.push(ready.id);
  }
  return order;
}

/** The transitive reduction: `script -> review` stays, `summarize -> review` (implied) goes. */
function buildGraph(stages: readonly PlanStage[]): Graph {
  const order = topologicalOrder(stages);
  const byId = new Map(stages.map((s) => [s.id, s]));
  const ancestors = new Map<string, Set<string>>();
  for (const id of order) {
    const set = new Set<string>();
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      set.add(dep);
      for (const a of ancestors.get(dep) ?? []) set.add(a);
    }
    ancestors.set(id, set);
  }
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>(order.map((id) => [id, []]));
  for (const id of order) {
    const deps = [...new Set(byId.get(id)?.dependsOn ?? [])];
    const direct = deps.filter((d) => !deps.some((other) => other !== d && ancestors.get(other)?.has(d)));
    preds.set(id, direct);
    for (const d of direct) succs.get(d)?.push(id);
  }
  const rank = new Map(order.map((id, i) => [id, i]));
  for (const list of succs.values()) list.sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
  const descendants = new Map<string, Set<string>>();
  for (const id of [...order].reverse()) {
    const set = new Set<string>([id]);
    for (const s of succs.get(id) ?? []) for (const d of descendants.get(s) ?? []) set.add(d);
    descendants.set(id, set);
  }
  return { order, preds, succs, descendants };
}

/** The nearest stage every branch leads to: where the branches join again. */
function findJoin(graph: Graph, fork: string, branchStarts: string[]): string {
  const join = graph.order.find((id) => branchStarts.every((s) => graph.descendants.get(s)?.has(id)));
  if (!join) {
    throw new UnsupportedDagError(
      `the branches after "${fork}" (${branchStarts.join(', ')}) never join again: ` +
        'Step Functions needs one stage that depends on all of them'
    );
  }
  return join;
}

function walk(graph: Graph, start: string, until: string | undefined, seen: Set<string>): PlanItem[] {
  const items: PlanItem[] = [];
  let current = start;
  for (;;) {
    if (seen.has(current)) {
      throw new UnsupportedDagError(`stage "${current}" is reached from two parallel branches: ${NOT_SP}`);
    }
    seen.add(current);
    items.push({ kind: 'stage', id: current });
    const next = graph.succs.get(current) ?? [];
    if (next.length === 0) {
      if (until !== undefined) {
        throw new UnsupportedDagError(
          `the branch ending at "${current}" never reaches "${until}": ${NOT_SP}`
        );
      }
      return items;
    }
    if (next.length === 1) {
      const only = next[0] as string;
      if (only === until) return items;
      if ((graph.preds.get(only) ?? []).length > 1) {
        throw new UnsupportedDagError(
          `stage "${only}" joins ${(graph.preds.get(only) ?? []).join(', ')}, which do not fork from one stage: ${NOT_SP}`
        );
      }
      current = only;
      continue;
    }
    const join = findJoin(graph, current, next);
    if (until !== undefined && join !== until && !graph.descendants.get(join)?.has(until)) {
      throw new UnsupportedDagError(
        `the branches after "${current}" join at "${join}", outside the branch that ends at "${until}": ${NOT_SP}`
      );
    }
    items.push({ kind: 'parallel', branches: next.map((s) => walk(graph, s, join, seen)) });
    if (join === until) return items;
    current = join;
  }
}

/** Every stage's dependencies must be finished before it in the plan (a check of the decomposition). */
function verify(items: PlanItem[], byId: Map<string, PlanStage>, before: Set<string>): void {
  for (const item of items) {
    if (item.kind === 'stage') {
      const missing = (byId.get(item.id)?.dependsOn ?? []).filter((d) => !before.has(d));
      if (missing.length > 0) {
        throw new UnsupportedDagError(
          `stage "${item.id}" depends on ${missing.join(', ')}, which run in a parallel branch it cannot see`
        );
      }
      before.add(item.id);
      continue;
    }
    const after = new Set(before);
    for (const branch of item.branches) {
      const inBranch = new Set(before);
      verify(branch, byId, inBranch);
      for (const id of inBranch) after.add(id);
    }
    for (const id of after) before.add(id);
  }
}

export function planStages(stages: readonly PlanStage[]): PlanItem[] {
  if (stages.length === 0) throw new UnsupportedDagError('the registry has no stages');
  const graph = buildGraph(stages);
  const sources = graph.order.filter((id) => (graph.preds.get(id) ?? []).length === 0);
  if (sources.length !== 1) {
    throw new UnsupportedDagError(
      `the registry must have exactly one first stage (no dependsOn); found ${sources.join(', ')}`
    );
  }
  const seen = new Set<string>();
  const plan = walk(graph, sources[0] as string, undefined, seen);
  verify(plan, new Map(stages.map((s) => [s.id, s])), new Set());
  return plan;
}

/** Stage ids in a plan (branches included), in plan order. */
export function planStageIds(items: readonly PlanItem[]): string[] {
  return items.flatMap((item) =>
    item.kind === 'stage' ? [item.id] : item.branches.flatMap((b) => planStageIds(b))
  );
}
