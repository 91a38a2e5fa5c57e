import { isTerminal } from '../../index.ts';
import { errorCode, errorText } from '../app/errorCode.ts';
import { href } from '../app/useRoute.ts';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { elapsedMs, formatDuration, formatTime } from '../ui/time.ts';
import { useNow } from '../ui/useNow.ts';
import { EventHistory } from './EventHistory.tsx';
import { StepList } from './StepList.tsx';
import { TaskDetail } from './TaskDetail.tsx';
import { Timeline } from './Timeline.tsx';
import { useEventHistory } from './useEventHistory.ts';
import { useWorkflow } from './useWorkflow.ts';
import { WorkflowActions } from './WorkflowActions.tsx';

/**
 * One workflow, live until it ends: its state, times and error; actions;
 * its steps and tasks; the opened task; the timeline; the event history.
 */
export function WorkflowPage({ id, task }: { id: string; task?: string }) {
  const { status, error, setStatus } = useWorkflow(id);
  const history = useEventHistory(id, status);
  const running = status !== undefined && !isTerminal(status.status);
  const now = useNow(500, running);

  if (!status) {
    if (error === undefined) return <p aria-busy="true">Loading workflow {id}…</p>;
    return (
      <div class="card">
        <h1>Workflow not shown</h1>
        <p role="alert">{errorCode(error) === 'NOT_FOUND' || errorCode(error) === 'BAD_REQUEST' ? `No workflow has the id "${id}" (or it has expired).` : errorText(error)}</p>
        <a href={href({ view: 'list', query: new URLSearchParams() })}>Back to the workflows</a>
      </div>
    );
  }
  const ms = elapsedMs(status.started_at, status.finished_at, now);
  const facts: [string, string][] = [
    ['Id', status.id],
    ['Priority', status.priority],
    ['Created', formatTime(status.created_at, now)],
    ['Started', formatTime(status.started_at, now)],
    ['Finished', formatTime(status.finished_at, now)],
    ['Duration', ms === undefined ? 'not started' : formatDuration(ms)],
  ];
  return (
    <article class="workflow-page" aria-labelledby="wf-title" data-id={status.id} data-status={status.status}>
      <p class="crumbs">
        <a href={href({ view: 'list', query: new URLSearchParams() })}>Workflows</a> /
      </p>
      <div class="page-head">
        <h1 id="wf-title">{status.name}</h1>
        <StatusBadge state={status.status} />
        {running && <span class="live" aria-label="Updating live">live</span>}
      </div>
      <dl class="facts inline">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd class={term === 'Id' ? 'mono' : undefined}>{value}</dd>
          </div>
        ))}
      </dl>
      {status.error && (
        <p class="error-box" role="alert">
          {status.error}
        </p>
      )}
      {error !== undefined && <p class="alert">Live updates stopped: {errorText(error)}</p>}
      <WorkflowActions status={status} onChange={setStatus} />
      <div class={task ? 'with-detail' : undefined}>
        <section aria-labelledby="steps-title">
          <h2 id="steps-title">Steps</h2>
          <StepList status={status} now={now} selected={task} />
        </section>
        {task && <TaskDetail status={status} taskId={task} now={now} events={history.loaded ? history.events : undefined} />}
      </div>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <Timeline status={status} now={now} events={history.loaded && !history.error ? history.events : undefined} />
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <EventHistory workflowId={status.id} history={history} task={task} />
      </section>
    </article>
  );
}
