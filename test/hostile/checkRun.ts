import { expect } from 'vitest';
import { WorkflowStatusSchema, isTerminal, type WorkflowStatus } from '../../shared/status.ts';
import type { ErrorIssue } from '../../shared/errors.ts';
import type { Limits } from '../../shared/limits.ts';
import { TIGHT_TIMEOUT_S } from './definitionArbitrary.ts';
import { expectedProblems, pathExistsOrParent, predictTask, predictWorkflow } from './definitionOracle.ts';

type Json = Record<string, unknown>;

/**
 * A rejected definition: the oracle must have expected a rejection, every
 * issue must name a field that exists in the input (or its parent, for a
 * missing one), and every named field must be one the oracle found bad.
 */
export function checkRejection(input: unknown, issues: readonly ErrorIssue[] | undefined, limits: Limits, known: ReadonlySet<string>): void {
  const expected = expectedProblems(input, limits, known);
  const context = `input ${JSON.stringify(input)}\nissues ${JSON.stringify(issues)}\nexpected ${JSON.stringify([...expected])}`;
  expect(expected.size, `rejected a definition the oracle finds valid:\n${context}`).toBeGreaterThan(0);
  expect(issues?.length ?? 0, `rejection without issues:\n${context}`).toBeGreaterThan(0);
  for (const issue of issues!) {
    expect(pathExistsOrParent(input, issue.path), `issue path "${issue.path}" is not in the input:\n${context}`).toBe(true);
    expect(expected.has(issue.path), `issue path "${issue.path}" names a field that is fine:\n${context}`).toBe(true);
  }
}

const before = (a: string | null, b: string | null) => a === null || b === null || Date.parse(a) <= Date.parse(b);

/**
 * A workflow that was accepted and has ended: its state must be consistent
 * (DESIGN §2) and, unless `cancelled` was requested, must be the outcome the
 * oracle predicts for each task whose end timing cannot change.
 */
export function checkEnded(def: Json, status: WorkflowStatus, options: { cancelRequested: boolean }): void {
  const context = `definition ${JSON.stringify(def)}\nstatus ${JSON.stringify(status)}`;
  const fail = (what: string) => `${what}\n${context}`;
  expect(WorkflowStatusSchema.safeParse(status).success, fail('status does not match the wire schema')).toBe(true);
  expect(isTerminal(status.status), fail('not terminal')).toBe(true);
  if (!options.cancelRequested) expect(status.status, fail('cancelled, yet nobody cancelled it')).not.toBe('cancelled');
  expect(before(status.created_at, status.started_at) && before(status.started_at, status.finished_at), fail('workflow times out of order')).toBe(true);
  expect(status.finished_at, fail('ended without finished_at')).not.toBeNull();

  const defSteps = def.steps as Json[];
  expect(status.steps.map((s) => s.tasks.map((t) => t.name)), fail('shape differs from the definition')).toEqual(
    defSteps.map((s) => (s.tasks as Json[]).map((t) => t.name)),
  );
  const all = status.steps.flatMap((s) => s.tasks);
  expect(new Set(all.map((t) => t.id)).size, fail('task ids not unique')).toBe(all.length);

  let failedStepSeen = false;
  status.steps.forEach((step, si) => {
    expect(['pending', 'running'], fail(`step ${si} still ${step.status}`)).not.toContain(step.status);
    const defStep = defSteps[si];
    step.tasks.forEach((task, ti) => {
      const defTask = (defStep.tasks as Json[])[ti];
      const where = `task ${si}.${ti} (${task.id})`;
      if (typeof defTask.id === 'string') expect(task.id, fail(`${where} lost its id`)).toBe(defTask.id);
      // Params come back as given, prototype-ish keys (`constructor`, `toString`) included.
      expect(task.params, fail(`${where} params not kept verbatim`)).toEqual(defTask.params ?? {});
      expect(task.optional, fail(`${where} optional flag lost`)).toBe(defTask.optional === true);
      expect(['pending', 'running', 'retrying'], fail(`${where} still ${task.status}`)).not.toContain(task.status);
      const retries = ((defTask.params as Json | undefined)?.retry_count as number | undefined) ?? 0;
      expect(task.attempts, fail(`${where} ran more than retry_count + 1 times`)).toBeLessThanOrEqual(retries + 1);
      if (task.status === 'skipped') expect(task.attempts, fail(`${where} skipped but ran`)).toBe(0);
      if (task.status === 'succeeded' || task.status === 'failed') expect(task.attempts, fail(`${where} ended without running`)).toBeGreaterThan(0);
      expect(before(task.started_at, task.finished_at), fail(`${where} times out of order`)).toBe(true);
      // After a failed step nothing else runs.
      if (failedStepSeen) expect(task.status, fail(`${where} ran after a failed step`)).toBe('skipped');
      if (!options.cancelRequested) checkPrediction(defStep, defTask, step.status, task.status, task.attempts, fail(where));
    });
    if (failedStepSeen) expect(step.status, fail(`step ${si} after a failed step`)).toBe('skipped');
    if (step.status === 'failed') failedStepSeen = true;
  });

  const blocking = all.filter((t) => !t.optional);
  const allBlockingSucceeded = blocking.every((t) => t.status === 'succeeded');
  // A cancel ends the workflow whatever its tasks did; otherwise the tasks decide.
  if (status.status !== 'cancelled') expect(status.status === 'succeeded', fail('succeeded must mean every non-optional task succeeded')).toBe(allBlockingSucceeded);
  if (status.status === 'succeeded') expect(status.error, fail('succeeded with an error')).toBeNull();
  if (status.status === 'failed') {
    const named = all.filter((t) => t.status === 'failed' && !t.optional && status.error?.includes(`"${t.id}"`));
    expect(named.length, fail('a failed workflow must name a failed task in `error`')).toBeGreaterThan(0);
  }
  if (!options.cancelRequested) {
    const predicted = predictWorkflow(def, TIGHT_TIMEOUT_S);
    if (predicted !== 'unknown') expect(status.status, fail('outcome differs from the prediction')).toBe(predicted);
  }
}

function checkPrediction(defStep: Json, defTask: Json, stepStatus: string, status: string, attempts: number, where: string): void {
  const p = predictTask(defTask, TIGHT_TIMEOUT_S);
  if (status === 'succeeded' || status === 'failed') {
    if (p.outcome === 'unknown') return;
    expect({ status, attempts }, `${where}: not the predicted end`).toEqual({ status: p.outcome, attempts: p.attempts });
  } else if (status === 'cancelled') {
    // Only fail_fast cancels siblings, and only in a step that failed.
    expect(defStep.execution_type === 'parallel' && defStep.fail_fast === true && stepStatus === 'failed', `${where}: cancelled without fail_fast`).toBe(true);
  } else if (status === 'skipped') {
    // Skipped: a later step after a failure, or later in a sequential step that failed (parallel tasks all start).
    const ok = stepStatus === 'skipped' || (stepStatus === 'failed' && defStep.execution_type === 'sequential');
    expect(ok, `${where}: skipped in a ${stepStatus} ${String(defStep.execution_type)} step`).toBe(true);
  }
}
