import { buildWorkflowMachine, stepLayout, type WorkflowMachine } from './buildWorkflowMachine.ts';
import type { MachineSetup } from './machineSetup.ts';
import { machineStamp } from './machineFormat.ts';
import { LANE_SIZE } from './laneMachine.ts';
import { shapeKeyOf, shapeOf, type StepsLike } from './stepShape.ts';

/** Machines kept at most (least recently used first out). */
export const MACHINE_CACHE_MAX = 256;
/**
 * Task states kept at most across the cached machines. Measured: a machine of
 * one 1,000-task sequential step (2,000 task states) holds 7.9 MB of heap and
 * takes 110 ms to build, ~55 µs per task state; so this bounds the cache to
 * ~40 MB, and a workflow of the largest default size (5,000 tasks) still
 * gets its machine (kept alone).
 */
export const MACHINE_CACHE_MAX_STATES = 10_000;

/** A cached machine, with the stamp its snapshots carry (see machineFormat). */
export interface CachedMachine {
  readonly machine: WorkflowMachine;
  readonly stamp: string;
  /** Its task states (the cache's weight). */
  readonly states: number;
}

/**
 * The machines of one engine, one per shape of workflow (steps' kinds and
 * widths), built on first use and kept in a bounded LRU: any number of
 * workflows of a few shapes share a few machines, and many distinct shapes
 * cost a build each (~55 µs per task state, on the event loop) but never
 * unbounded memory.
 */
export class MachineCache {
  private readonly machines = new Map<string, CachedMachine>();
  private states = 0;

  constructor(
    private readonly setup: MachineSetup,
    private readonly maxMachines = MACHINE_CACHE_MAX,
    private readonly maxStates = MACHINE_CACHE_MAX_STATES,
  ) {}

  /** The machine of workflows whose steps are `steps` (a definition's or a status document's). */
  get(steps: StepsLike): CachedMachine {
    const key = shapeKeyOf(steps);
    // The usual case: the shape of the launch before (no lookup, and no re-insertion that leaves the Map a deleted entry per launch).
    if (key === this.lastKey) return this.last!;
    const hit = this.machines.get(key);
    if (hit) {
      // Most recently used last: a Map iterates in insertion order.
      this.machines.delete(key);
      this.machines.set(key, hit);
      return this.remember(key, hit);
    }
    const shape = shapeOf(steps);
    const weight = { sequence: 2, regions: 4 };
    const states = shape.reduce((n, step) => {
      const layout = stepLayout(step);
      return n + (layout === 'lanes' ? Math.ceil(step.width / LANE_SIZE) : weight[layout] * step.width);
    }, 0);
    const entry: CachedMachine = { machine: buildWorkflowMachine(this.setup, shape), stamp: machineStamp(key), states };
    this.machines.set(key, entry);
    this.states += states;
    for (const [oldest, old] of this.machines) {
      if (this.machines.size <= 1 || (this.machines.size <= this.maxMachines && this.states <= this.maxStates)) break;
      this.machines.delete(oldest);
      this.states -= old.states;
    }
    return this.remember(key, entry);
  }

  /** The most recently used machine, which is also the last in `machines`. */
  private lastKey: string | null = null;
  private last: CachedMachine | null = null;

  private remember(key: string, entry: CachedMachine): CachedMachine {
    this.lastKey = key;
    this.last = entry;
    return entry;
  }

  /** How many machines are cached. */
  get size(): number {
    return this.machines.size;
  }
}
