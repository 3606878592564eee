/**
 * The module graph of stages/: no import cycles (static: every relative import followed), and
 * every module loads first, in a fresh module graph (dynamic: an import cycle that only works
 * when an entry point happens to load the right module first fails here).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const STAGES_DIR = path.join(ROOT, 'stages');

function sourceFiles(): string[] {
  return (readdirSync(STAGES_DIR, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(STAGES_DIR, f));
}

/** Relative imports (value or type: a type-only cycle is harmless, so `import type` is skipped). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s+'(\.[^']+)'/gm),
    ...text.matchAll(/^\s*import\s+'(\.[^']+)'/gm),
  ].map((m) => m[1] as string);
  return specifiers
    .map((s) => path.resolve(path.dirname(file), s))
    .map((p) => (p.endsWith('.ts') ? p : `${p}.ts`));
}

function importGraph(files: string[]): Map<string, string[]> {
  return new Map(files.map((f) => [f, relativeImports(f).filter((i) => i.startsWith(STAGES_DIR))]));
}

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'visiting') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle.map((f) => path.relative(ROOT, f));
  }
  return undefined;
}

describe('stages/ module graph', () => {
  it('has no import cycle', () => {
    expect(findCycle(importGraph(sourceFiles()))).toBeUndefined();
  });

  it('reads value imports and finds a cycle when there is one (the detector itself)', () => {
    expect(relativeImports(path.join(STAGES_DIR, 'prepare', 'prepare.ts'))).toContain(
      path.join(STAGES_DIR, 'pipeline-plan.ts')
    );
    const [a, b, c] = ['a.ts', 'b.ts', 'c.ts'].map((f) => path.join(ROOT, f)) as [string, string, string];
    expect(
      findCycle(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, [a]],
        ])
      )
    ).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
    expect(
      findCycle(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, []],
        ])
      )
    ).toBeUndefined();
  });

  it('loads every module first, in a fresh module graph', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'load-each-module.ts')],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 }
    );
    const report = JSON.parse(out.trim().split('\n').pop() as string) as {
      loaded: number;
      failures: unknown[];
    };
    expect(report.failures).toEqual([]);
    expect(report.loaded).toBe(sourceFiles().length);
  }, 150_000);
});
