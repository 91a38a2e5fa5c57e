/** One row of bench/results/latest.json (the shape issue 4 asks for, plus scenario extras). */
export interface BenchResult {
  name: string;
  system: string;
  workflows: number;
  tasks_per_workflow: number;
  /** Median seconds of one measured round. */
  seconds: number;
  workflows_per_s: number;
  tasks_per_s: number;
  /** Set when the scenario could not run here; the numbers are then 0. */
  skipped?: string;
  [extra: string]: unknown;
}

/** Builds a row from a workload and its median round time. */
export function resultRow(
  name: string,
  system: string,
  workflows: number,
  tasksPerWorkflow: number,
  seconds: number,
  extra: Record<string, unknown> = {},
): BenchResult {
  return {
    name,
    system,
    workflows,
    tasks_per_workflow: tasksPerWorkflow,
    seconds: round(seconds, 4),
    workflows_per_s: seconds > 0 ? round(workflows / seconds, 1) : 0,
    tasks_per_s: seconds > 0 ? round((workflows * tasksPerWorkflow) / seconds, 1) : 0,
    ...extra,
  };
}

/** A row saying why a scenario (or one system of it) did not run. */
export function skippedRow(name: string, system: string, why: string): BenchResult {
  return { name, system, workflows: 0, tasks_per_workflow: 0, seconds: 0, workflows_per_s: 0, tasks_per_s: 0, skipped: why };
}

/** Rounds to `digits` decimals (JSON and tables stay readable). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
