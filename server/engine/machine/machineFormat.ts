import { LANE_SIZE } from './laneMachine.ts';
import { MAX_PARALLEL_REGIONS } from './parallelStepState.ts';

/**
 * The format of the machines this engine builds: what a persisted snapshot
 * depends on beyond a workflow's shape (the machine's `version`).
 */
export const MACHINE_FORMAT = `flowstate-steps/2 regions<=${MAX_PARALLEL_REGIONS} lanes=${LANE_SIZE}`;

/**
 * The stamp on every snapshot a machine of this format and shape persists
 * (its `machine` field). A stored snapshot is restored as it is only when its
 * stamp is the machine's; any other (an older engine's `s0, s1…` machine, or
 * other region or lane widths) is rebuilt from the workflow's status document
 * (see restoreFromStore).
 */
export function machineStamp(shapeKey: string): string {
  return `${MACHINE_FORMAT} ${shapeKey}`;
}

/** True when `snapshot` carries `stamp`. */
export function isStamped(snapshot: unknown, stamp: string): snapshot is { machine: string } & Record<string, unknown> {
  return typeof snapshot === 'object' && snapshot !== null && (snapshot as { machine?: unknown }).machine === stamp;
}

/** A short name of the format a stored snapshot was written in, for messages. */
export function describeFormat(snapshot: unknown): string {
  if (typeof snapshot !== 'object' || snapshot === null) return `not an XState snapshot (${snapshot === null ? 'null' : typeof snapshot})`;
  const stamp = (snapshot as { machine?: unknown }).machine;
  if (typeof stamp === 'string') return `"${stamp}"`;
  const value = (snapshot as { value?: unknown }).value;
  return `unstamped (the machine of states s0, s1… before issue 12; state ${JSON.stringify(value) ?? 'missing'})`;
}
