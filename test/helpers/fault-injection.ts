/**
 * Fault injection for the reliability tests: wraps a stage module's `run` (the stage's work, inside
 * the shared lifecycle, so attempts, events and checkpoints behave as for a real failure) to
 * throw a RetryableStageError or FatalStageError, or to hang, on chosen attempts.
 *
 * The wrapper patches the plan's module object in place, so every way a stage runs sees it:
 * the monolithic engine, the real Lambda handler modules (makeLambdaHandler reads the plan),
 * the ECS stage task in-process, and a child process through fault-injection-preload.ts, where
 * the rules come from the TEST_FAULT_INJECTION environment variable. Only this harness reads that
 * variable; no production code path does. `restore()` puts the real modules back.
 */
import { unitKey } from '../../stages/pipeline-plan';
import type { RunnableStage } from '../../stages/shared/stage';
import { RUNNABLE_STAGES } from '../../stages/stage-modules';
import { FatalStageError, RetryableStageError } from '../../stages/shared/errors';
import type { AnyStageModule, StageContext, StageInput } from '../../stages/shared/stage';

/** The environment switch the test preload reads (JSON: a StageFault or an array of them). */
export const FAULT_ENV = 'TEST_FAULT_INJECTION';

export type FaultKind = 'retryable' | 'fatal' | 'hang';

export interface StageFault {
  stage: string;
  kind: FaultKind;
  /**
   * The fault hits attempts 1..attempts of each unit (the lifecycle's persisted attempt number,
   * so it holds across processes). Defaults: retryable 1 (the first attempt), fatal and hang all.
   */
  attempts?: number;
  /** Only these units (`tts/2`); default every unit of the stage. */
  units?: string[];
}

export interface InjectedFault {
  unit: string;
  attempt: number;
  kind: FaultKind;
}

export interface FaultInjection {
  /** Every fault thrown (or hang entered), in order, once per unit and attempt. */
  readonly injected: InjectedFault[];
  /** Lets hanging units go on with their real work. */
  release(): void;
  /** Puts the real stage modules back. */
  restore(): void;
}

type MutableModule = { run: AnyStageModule['run'] };

function hits(fault: StageFault, unit: string, attempt: number): boolean {
  if (fault.units && !fault.units.includes(unit)) return false;
  const limit = fault.attempts ?? (fault.kind === 'retryable' ? 1 : Number.POSITIVE_INFINITY);
  return attempt <= limit;
}

/** The message an injected fault carries: names the stage, the unit and the attempt. */
export function injectedMessage(kind: FaultKind, unit: string, attempt: number): string {
  return `injected ${kind} fault in ${unit} (attempt ${attempt})`;
}

/** Wraps the stages' `run` with the faults; returns the record of what was injected and how to undo it. */
export function injectStageFaults(
  faults: readonly StageFault[],
  registry: readonly RunnableStage[] = RUNNABLE_STAGES
): FaultInjection {
  const injected: InjectedFault[] = [];
  const restores: (() => void)[] = [];
  let releaseHangs!: () => void;
  const released = new Promise<void>((resolve) => (releaseHangs = resolve));

  for (const [stage, stageFaults] of groupByStage(faults)) {
    const def = registry.find((s) => s.id === stage);
    if (!def) throw new Error(`fault injection: unknown stage "${stage}"`);
    const module = def.module as unknown as MutableModule;
    const original = module.run;
    module.run = async (input: StageInput, ctx: StageContext, claimed: unknown) => {
      const unit = unitKey(def.id, input.shard?.index);
      const fault = stageFaults.find((f) => hits(f, unit, ctx.attempt));
      if (fault) {
        // Once per unit and attempt: a retried unit's speculative start (runStageUnit) sees
        // attempt 1 again before its begin tells it otherwise, and is abandoned.
        if (!injected.some((f) => f.unit === unit && f.attempt === ctx.attempt))
          injected.push({ unit, attempt: ctx.attempt, kind: fault.kind });
        const message = injectedMessage(fault.kind, unit, ctx.attempt);
        if (fault.kind === 'retryable') throw new RetryableStageError(message);
        if (fault.kind === 'fatal') throw new FatalStageError(message);
        ctx.logger.warn('fault injection: unit hangs', { unit, attempt: ctx.attempt });
        await released;
      }
      return original.call(def.module, input, ctx, claimed);
    };
    restores.push(() => {
      module.run = original;
    });
  }

  return {
    injected,
    release: () => releaseHangs(),
    restore: () => {
      releaseHangs();
      for (const undo of restores.splice(0).reverse()) undo();
    },
  };
}

function groupByStage(faults: readonly StageFault[]): Map<string, StageFault[]> {
  const byStage = new Map<string, StageFault[]>();
  for (const fault of faults) byStage.set(fault.stage, [...(byStage.get(fault.stage) ?? []), fault]);
  return byStage;
}

/** Reads TEST_FAULT_INJECTION: absent or empty means no faults; anything malformed is an error. */
export function parseFaultEnv(value: string | undefined): StageFault[] {
  if (!value?.trim()) return [];
  const parsed = JSON.parse(value) as unknown;
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((item, i) => {
    const fault = item as Partial<StageFault>;
    if (typeof fault?.stage !== 'string' || !['retryable', 'fatal', 'hang'].includes(String(fault.kind))) {
      throw new Error(`${FAULT_ENV}[${i}]: needs { stage, kind: retryable | fatal | hang }`);
    }
    return fault as StageFault;
  });
}

/** The env entry that makes a child process (started with the preload) inject these faults. */
export function faultEnv(faults: readonly StageFault[]): Record<string, string> {
  return { [FAULT_ENV]: JSON.stringify(faults) };
}
