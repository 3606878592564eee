/**
 * The process-wide StageDeps for Lambda handlers and ECS tasks: built once per process from the
 * environment on first use. The local state-machine runner installs its own (local servers) with
 * `useRuntimeDeps` before invoking the real handler modules.
 */
import type { StageDeps } from './stage';

let cached: StageDeps | undefined;
let factory: (() => StageDeps) | undefined;

/** Composition roots register how to build deps (kept out of this module so stages stay SDK-free). */
export function setRuntimeDepsFactory(build: () => StageDeps): void {
  factory = build;
}

export function useRuntimeDeps(deps: StageDeps | undefined): void {
  cached = deps;
}

export function runtimeDeps(): StageDeps {
  if (cached) return cached;
  if (!factory) throw new Error('no runtime deps: import stages/shared/adapters/register-runtime-deps first');
  cached = factory();
  return cached;
}
