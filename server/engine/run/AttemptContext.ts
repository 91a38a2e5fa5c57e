import type { TaskContext, TaskLogger } from '../../tasks/defineTask.ts';
import type { Logger } from '../../logger.ts';
import type { LiveStatus } from '../status/index.ts';

/** Anything that holds an AbortSignal: an AbortController, or an actor's lazily made one. */
export interface SignalSource {
  readonly signal: AbortSignal;
}

/**
 * What a task's `run` gets for one attempt. A class with getters on its
 * prototype rather than an object literal with getters: V8 gives such literals
 * a dictionary of properties (about 440 bytes each), and thousands of attempts
 * are in flight at once. Upstream outputs, the logger and the signal are made
 * only when the task reads them.
 */
export class AttemptContext implements TaskContext<unknown> {
  private upstreamOutputs: Record<string, unknown> | undefined;
  private taskLogger: TaskLogger | undefined;

  constructor(
    readonly params: unknown,
    readonly attempt: number,
    readonly workflowId: string,
    readonly taskId: string,
    private readonly live: LiveStatus,
    /** How many outputs existed when the attempt started: it sees those, not later ones. */
    private readonly seen: number,
    private readonly logs: Logger,
    private readonly signals: SignalSource,
  ) {}

  get upstream(): Record<string, unknown> {
    return (this.upstreamOutputs ??= this.live.upstream(this.seen));
  }

  get logger(): TaskLogger {
    return (this.taskLogger ??= this.logs.child({ workflow_id: this.workflowId, task_id: this.taskId }));
  }

  get signal(): AbortSignal {
    return this.signals.signal;
  }

  /** The same attempt seen through another signal (its timeout's). */
  withSignal(signals: SignalSource): AttemptContext {
    return new AttemptContext(this.params, this.attempt, this.workflowId, this.taskId, this.live, this.seen, this.logs, signals);
  }
}
