import type { Limits } from '../../shared/limits.ts';

/**
 * An independent model of the create-time checks (DESIGN §1), written from
 * the rules rather than from the schemas, so a test can tell "rejected as it
 * should be" from "rejected by mistake" and "accepted by mistake".
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => isNumber(v) && Number.isInteger(v);

// Lengths count code points, as zod does. A name must show something (issue 11): not blank, not only
// zero-width or other invisible characters, and be well-formed Unicode (no lone surrogates).
function isName(v: unknown, max: number): boolean {
  if (typeof v !== 'string' || v.length < 1 || [...v].length > max || /[\u0000-\u001f\u007f]/.test(v)) return false;
  const wellFormed = (v as unknown as { isWellFormed(): boolean }).isWellFormed();
  return wellFormed && !/^[\s\u200b-\u200f\u2060-\u2064\ufeff\u180e\u00ad\u034f\u115f\u1160\u3164\uffa0]*$/.test(v);
}

function isTaskId(v: unknown, max: number): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= max && /^[A-Za-z0-9_-]+$/.test(v) && v !== '__proto__';
}

const ENGINE_CHECKS: Record<string, (v: unknown) => boolean> = {
  timeout: (v) => isNumber(v) && v > 0 && v <= 86_400,
  retry_count: (v) => isInt(v) && v >= 0 && v <= 100,
  retry_delay: (v) => isNumber(v) && v >= 0 && v <= 3_600,
  priority: (v) => v === 'low' || v === 'normal' || v === 'high',
};

// The own-param rules of the built-in tasks this suite uses (server/tasks/builtin). A task not listed
// takes no param of its own (strict), except those in LOOSE, which take any.
const OWN_CHECKS: Record<string, Record<string, (v: unknown) => boolean>> = {
  sleep: { ms: (v) => isInt(v) && v >= 0 && v <= 86_400_000 },
  fail: { times: (v) => isInt(v) && v >= 0 && v <= 1000, message: (v) => typeof v === 'string' && v.length <= 1000 },
};
const LOOSE = new Set(['echo']);

// The keys each level declares (issue 11: any other is refused, at its own path).
const WORKFLOW_KEYS = new Set(['name', 'steps', 'priority', 'idempotency_key']);
const STEP_KEYS = new Set(['execution_type', 'fail_fast', 'tasks']);
const TASK_KEYS = new Set(['name', 'id', 'optional', 'params']);

/** Plain edit distance: a loose task still refuses a key one or two edits from an engine param (`timout`). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
const nearEngineKey = (key: string) =>
  Object.keys(ENGINE_CHECKS).some((k) => k !== key && distance(key.toLowerCase(), k) <= (Math.min(key.length, k.length) <= 5 ? 1 : 2));

/** Adds `${at}.${key}` (or `key` at the root) for every key of `object` that `declared` lacks. */
function strayKeys(problems: Set<string>, object: Json, declared: ReadonlySet<string>, at: string): void {
  for (const key of Object.keys(object)) if (!declared.has(key)) problems.add(at ? `${at}.${key}` : key);
}

/**
 * Every dotted path (`steps.0.tasks.1.params.timeout`) the server should
 * name when rejecting `input`; empty when `input` should be accepted.
 * `known` are the task names the server registers.
 */
export function expectedProblems(input: unknown, limits: Limits, known: ReadonlySet<string>): Set<string> {
  const problems = new Set<string>();
  if (!isObject(input)) return problems.add('(root)');
  strayKeys(problems, input, WORKFLOW_KEYS, '');
  if (!isName(input.name, limits.maxNameLength)) problems.add('name');
  if ('priority' in input && !ENGINE_CHECKS.priority(input.priority)) problems.add('priority');
  if ('idempotency_key' in input && !isName(input.idempotency_key, limits.maxNameLength)) problems.add('idempotency_key');
  const steps = input.steps;
  if (!Array.isArray(steps)) return problems.add('steps');
  if (steps.length < 1 || steps.length > limits.maxSteps) problems.add('steps');

  let total = 0;
  const ids = new Set<string>();
  steps.forEach((step, si) => {
    const at = `steps.${si}`;
    if (!isObject(step)) return problems.add(at);
    strayKeys(problems, step, STEP_KEYS, at);
    if (step.execution_type !== 'sequential' && step.execution_type !== 'parallel') problems.add(`${at}.execution_type`);
    if ('fail_fast' in step && typeof step.fail_fast !== 'boolean') problems.add(`${at}.fail_fast`);
    if (!Array.isArray(step.tasks)) return problems.add(`${at}.tasks`);
    if (step.tasks.length < 1 || step.tasks.length > limits.maxTasksPerStep) problems.add(`${at}.tasks`);
    total += step.tasks.length;
    step.tasks.forEach((task: unknown, ti: number) => {
      const tat = `${at}.tasks.${ti}`;
      if (!isObject(task)) return problems.add(tat);
      strayKeys(problems, task, TASK_KEYS, tat);
      if (!isName(task.name, limits.maxNameLength)) problems.add(`${tat}.name`);
      else if (!known.has(task.name as string)) problems.add(`${tat}.name`);
      if ('optional' in task && typeof task.optional !== 'boolean') problems.add(`${tat}.optional`);
      if ('id' in task) {
        if (!isTaskId(task.id, limits.maxNameLength)) problems.add(`${tat}.id`);
        else if (ids.has(task.id as string)) problems.add(`${tat}.id`);
        else ids.add(task.id as string);
      }
      if (!('params' in task)) return;
      const params = task.params;
      if (!isObject(params)) return problems.add(`${tat}.params`);
      for (const [key, check] of Object.entries(ENGINE_CHECKS)) if (key in params && !check(params[key])) problems.add(`${tat}.params.${key}`);
      const own = OWN_CHECKS[task.name as string] ?? {};
      for (const [key, check] of Object.entries(own)) {
        if (key in params && !check(params[key])) problems.add(`${tat}.params.${key}`);
      }
      for (const key of Object.keys(params)) {
        if (key in ENGINE_CHECKS || key in own) continue;
        if (!LOOSE.has(task.name as string) || nearEngineKey(key)) problems.add(`${tat}.params.${key}`);
      }
      if (new TextEncoder().encode(JSON.stringify(params)).length > limits.maxParamsBytes) problems.add(`${tat}.params`);
    });
  });
  if (total > limits.maxTotalTasks) problems.add('steps');
  return problems;
}

/** True when `path` (dotted) names something in `input`, or its parent does (a missing required field). */
export function pathExistsOrParent(input: unknown, path: string): boolean {
  if (path === '(root)') return true;
  const parts = path.split('.');
  let node: unknown = input;
  for (let i = 0; i < parts.length; i++) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, parts[i])) return i === parts.length - 1;
    node = (node as Json)[parts[i]];
  }
  return true;
}

/** How a task of a valid definition must end if it runs to its end: `unknown` when timing decides. */
export type Prediction = { outcome: 'succeeded' | 'failed'; attempts: number } | { outcome: 'unknown' };

/**
 * Predicts one task from its definition alone. Tasks are deterministic here:
 * `fail` fails its first `times` attempts, `fatal` fails once for good, the
 * other test tasks always fail, and a 20 ms sleep outlives a tight timeout.
 */
export function predictTask(task: Json, tightTimeoutS: number): Prediction {
  const params = (task.params ?? {}) as Json;
  const retries = (params.retry_count as number | undefined) ?? 0;
  const timeout = params.timeout as number | undefined;
  const exhausted: Prediction = { outcome: 'failed', attempts: retries + 1 };
  // An attempt that returns after its timeout fails even if it returned before the timer fired
  // (a task that blocked the event loop): with a sub-second timeout, quick tasks are a race.
  const racesTimeout = timeout !== undefined && timeout < 1;
  switch (task.name) {
    case 'echo':
      return racesTimeout ? { outcome: 'unknown' } : { outcome: 'succeeded', attempts: 1 };
    case 'fail': {
      const times = params.times as number | undefined;
      if (times === undefined || times > retries) return exhausted;
      return racesTimeout ? { outcome: 'unknown' } : { outcome: 'succeeded', attempts: times + 1 };
    }
    case 'sleep': {
      const ms = (params.ms as number | undefined) ?? 0;
      if (!racesTimeout) return { outcome: 'succeeded', attempts: 1 };
      return timeout <= tightTimeoutS && ms >= 20 ? exhausted : { outcome: 'unknown' };
    }
    case 'fatal':
      return { outcome: 'failed', attempts: 1 };
    case 'throw_string':
    case 'non_json':
    case 'hang':
      return exhausted;
    default:
      return { outcome: 'unknown' };
  }
}

/**
 * The workflow's outcome when nobody cancels it: failed as soon as a step
 * holds a non-optional task predicted to fail, `unknown` when a task that
 * decides it is unknown.
 */
export function predictWorkflow(def: Json, tightTimeoutS: number): 'succeeded' | 'failed' | 'unknown' {
  for (const step of def.steps as Json[]) {
    let unknown = false;
    for (const task of step.tasks as Json[]) {
      const p = predictTask(task, tightTimeoutS);
      if (task.optional === true) continue;
      if (p.outcome === 'failed') return 'failed';
      if (p.outcome === 'unknown') unknown = true;
    }
    if (unknown) return 'unknown';
  }
  return 'succeeded';
}
