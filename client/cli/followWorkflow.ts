import { isTerminal, type WorkflowStatus } from '../../shared/status.ts';
import type { FlowstateClientError } from '../errors.ts';
import type { WorkflowClient } from '../createWorkflowClient.ts';
import type { Style } from './ansi.ts';
import { describeChanges } from './describeChanges.ts';
import { renderProgress } from './renderProgress.ts';

/** Where the CLI writes: stdout, or anything shaped like it. */
export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

/** How following ended: with a terminal status, or with the error that stopped watching. */
export type FollowResult = { status: WorkflowStatus } | { error: FlowstateClientError; status: WorkflowStatus };

/** Redraw interval of the terminal view, so running tasks' elapsed times tick. */
const TICK_MS = 200;
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

/**
 * Follows a workflow until it ends. On a terminal, redraws the progress view
 * in place (cursor up, clear, draw); otherwise writes one line per change.
 * Returns a promise of how it ended and a `stop` that restores the terminal.
 */
export function followWorkflow(
  client: Pick<WorkflowClient, 'watch'>,
  initial: WorkflowStatus,
  out: Output,
  style: Style,
): { done: Promise<FollowResult>; stop: () => void } {
  const tty = out.isTTY === true;
  let latest = initial;
  let drawn = 0;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let unsubscribe = () => {};

  const draw = () => {
    // A pseudo-terminal may report 0x0; treat that as unknown.
    const size = { columns: out.columns || 80, rows: out.rows || 24 };
    const lines = renderProgress(latest, Date.now(), size, style);
    // Move to the first line of the previous frame and clear down: no flicker, no scrollback spam.
    out.write((drawn > 0 ? `\x1b[${drawn}F\x1b[0J` : '') + lines.join('\n') + '\n');
    drawn = lines.length;
  };

  const stop = () => {
    clearInterval(ticker);
    unsubscribe();
    if (tty) out.write(SHOW_CURSOR);
  };

  if (tty) {
    out.write(HIDE_CURSOR);
    draw();
    ticker = setInterval(draw, TICK_MS);
  } else {
    for (const line of describeChanges(undefined, initial, Date.now())) out.write(line + '\n');
  }

  const done = new Promise<FollowResult>((resolve) => {
    const finish = (result: FollowResult) => {
      if (tty) draw();
      stop();
      resolve(result);
    };
    unsubscribe = client.watch(
      initial.id,
      (status) => {
        const prev = latest;
        latest = status;
        if (!tty) for (const line of describeChanges(prev, status, Date.now())) out.write(line + '\n');
        if (isTerminal(status.status)) finish({ status });
      },
      { onError: (error) => finish({ error, status: latest }) },
    );
  });
  return { done, stop };
}
