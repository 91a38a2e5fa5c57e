/** The two kinds of child actor a workflow machine spawns. */
export type ChildKind = 'task' | 'delay';

/** Where a child actor belongs: its kind, step and task. */
export interface ChildRef {
  kind: ChildKind;
  step: number;
  task: number;
}

/**
 * The id of the child actor running (`task`) or waiting to retry (`delay`)
 * task `t` of step `s`. Stable across attempts (the previous child is stopped
 * first), so a persisted snapshot names the same child after a restart.
 */
export function childId(kind: ChildKind, s: number, t: number): string {
  return `${kind}:${s}:${t}`;
}

// Every workflow names its children alike ("task:0:3"), so parses are shared;
// bounded, in case of very many distinct shapes.
const parsed = new Map<string, ChildRef | undefined>();
const PARSED_MAX = 50_000;

/** The inverse of {@link childId}; undefined for any other id. Runs once per child event: cached. */
export function parseChildId(id: string | undefined): ChildRef | undefined {
  if (!id) return undefined;
  if (parsed.has(id)) return parsed.get(id);
  if (parsed.size >= PARSED_MAX) parsed.clear();
  const ref = parse(id);
  parsed.set(id, ref);
  return ref;
}

function parse(id: string): ChildRef | undefined {
  const parts = id.split(':');
  if (parts.length !== 3 || (parts[0] !== 'task' && parts[0] !== 'delay')) return undefined;
  const step = Number(parts[1]);
  const task = Number(parts[2]);
  if (!Number.isInteger(step) || !Number.isInteger(task)) return undefined;
  return Object.freeze({ kind: parts[0], step, task });
}
