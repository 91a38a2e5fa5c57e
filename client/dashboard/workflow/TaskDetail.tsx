import { useEffect, useRef } from 'preact/hooks';
import type { WorkflowEvent, WorkflowStatus } from '../../index.ts';
import { href } from '../app/useRoute.ts';
import { JsonView } from '../ui/JsonView.tsx';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { elapsedMs, formatDuration, formatTime } from '../ui/time.ts';
import { maxAttempts } from './TaskCard.tsx';
import { buildTimeline } from './timelineModel.ts';

/**
 * One task opened: state, attempts, times, the full error, its params and
 * output as collapsible JSON. Takes focus when it opens, so a keyboard user
 * lands on it; "Close" returns to the workflow.
 */
export function TaskDetail({ status, taskId, now, events }: { status: WorkflowStatus; taskId: string; now: number; events?: readonly WorkflowEvent[] }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [taskId]);
  const step = status.steps.find((s) => s.tasks.some((t) => t.id === taskId));
  const task = step?.tasks.find((t) => t.id === taskId);
  const close = href({ view: 'workflow', id: status.id });
  if (!step || !task) {
    return (
      <section class="task-detail card" aria-label="Task">
        <p>This workflow has no task "{taskId}".</p>
        <a href={close}>Close</a>
      </section>
    );
  }
  const ms = elapsedMs(task.started_at, task.finished_at, now);
  return (
    <section class="task-detail card" aria-labelledby="task-title">
      <div class="detail-head">
        <h2 id="task-title" tabIndex={-1} ref={heading} class="mono">
          {task.id}
        </h2>
        <a href={close} class="button">
          Close
        </a>
      </div>
      <dl class="facts">
        <dt>State</dt>
        <dd>
          <StatusBadge state={task.status} />
        </dd>
        <dt>Task</dt>
        <dd class="mono">{task.name}</dd>
        <dt>Step</dt>
        <dd>
          {step.index + 1} ({step.execution_type})
        </dd>
        <dt>Attempts</dt>
        <dd>
          {task.attempts} of at most {maxAttempts(task)}
        </dd>
        <dt>Started</dt>
        <dd>{formatTime(task.started_at, now)}</dd>
        <dt>Finished</dt>
        <dd>{formatTime(task.finished_at, now)}</dd>
        <dt>Duration</dt>
        <dd>{ms === undefined ? 'not started' : formatDuration(ms)}</dd>
        {task.next_attempt_at && (
          <>
            <dt>Next attempt</dt>
            <dd>{formatTime(task.next_attempt_at, now)}</dd>
          </>
        )}
        {task.optional && (
          <>
            <dt>Optional</dt>
            <dd>yes: its failure does not fail the step</dd>
          </>
        )}
      </dl>
      {events && <Attempts status={status} taskId={task.id} now={now} events={events} />}
      {task.error && (
        <>
          <h3>Error</h3>
          <pre class="error-box" role="note">
            {task.error}
          </pre>
        </>
      )}
      <h3>Params</h3>
      <JsonView value={task.params} label={`Params of ${task.id}`} />
      <h3>Output</h3>
      <JsonView value={task.output} label={`Output of ${task.id}`} />
    </section>
  );
}

/** Each attempt from the history: when it started, how long it ran, how it ended, and the wait before the next. */
function Attempts({ status, taskId, now, events }: { status: WorkflowStatus; taskId: string; now: number; events: readonly WorkflowEvent[] }) {
  const row = buildTimeline(status, now, events.filter((e) => e.task === taskId)).rows.find((r) => r.taskId === taskId);
  if (!row || row.bars.length === 0) return null;
  return (
    <>
      <h3>Attempts</h3>
      <ol class="attempts">
        {row.bars.map((bar, i) => (
          <li key={bar.attempt}>
            <span>
              <b>#{bar.attempt}</b> at {formatTime(new Date(bar.start).toISOString(), now)}, {bar.open ? 'running for' : 'ran'} {formatDuration(bar.end - bar.start)}:{' '}
              <StatusBadge state={bar.outcome} compact />
            </span>
            {bar.error && <span class="task-error">{bar.error}</span>}
            {row.gaps[i] && <span class="muted">then waited {formatDuration(row.gaps[i].end - row.gaps[i].start)} before retrying</span>}
          </li>
        ))}
      </ol>
    </>
  );
}
