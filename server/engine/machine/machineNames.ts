/**
 * Names of the workflow machine's states and invoked actors. Steps and tasks
 * are counted from 1, as the dashboard, the CLI and error messages show them
 * (`step2_parallel.task3`); indexes into the status document stay 0-based.
 */

/** The state of step `s` (0-based): `step1_sequential`, `step2_parallel`. */
export function stepState(s: number, kind: 'sequential' | 'parallel'): string {
  return `step${s + 1}_${kind}`;
}

/** The state of task `t` (0-based) in its step: `task1` (a sequential step's child state, a parallel step's region). */
export function taskState(t: number): string {
  return `task${t + 1}`;
}

/** The state of a sequential step's task `t` waiting out a retry backoff: `task1_backoff`. */
export function backoffState(t: number): string {
  return `${taskState(t)}_backoff`;
}

/** The id of the actor running an attempt of task `t` of step `s`: `step1_task2`. */
export function taskActorId(s: number, t: number): string {
  return `step${s + 1}_task${t + 1}`;
}

/** The id of the actor waiting out task `t`'s retry backoff: `step1_task2_backoff`. */
export function backoffActorId(s: number, t: number): string {
  return `${taskActorId(s, t)}_backoff`;
}

/** The id of lane `l` (0-based) of a wide parallel step `s`: `step3_lane1`. */
export function laneActorId(s: number, l: number): string {
  return `step${s + 1}_lane${l + 1}`;
}

/** Where an actor a lane hosts belongs: its task (0-based) and whether it is the task's attempt or its backoff. */
export interface HostedActor {
  readonly kind: 'task' | 'backoff';
  readonly step: number;
  readonly task: number;
}

const HOSTED = /^step(\d+)_task(\d+)(_backoff)?$/;
// Every wide step's lanes name their children alike, so parses are shared; bounded all the same.
const parsed = new Map<string, HostedActor | undefined>();
const PARSED_MAX = 50_000;

/** The inverse of {@link taskActorId} / {@link backoffActorId}; undefined for any other id. Cached: runs once per task end in a lane. */
export function parseHostedActorId(id: string): HostedActor | undefined {
  let ref = parsed.get(id);
  if (ref !== undefined || parsed.has(id)) return ref;
  const match = HOSTED.exec(id);
  ref = match ? Object.freeze({ kind: match[3] ? 'backoff' : 'task', step: Number(match[1]) - 1, task: Number(match[2]) - 1 }) : undefined;
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(id, ref);
  return ref;
}
