import { useState } from 'preact/hooks';
import type { WorkflowEvent } from '../../index.ts';
import { errorText } from '../app/errorCode.ts';
import { href } from '../app/useRoute.ts';
import { formatDuration, formatTime } from '../ui/time.ts';
import { useMediaQuery } from '../ui/useMediaQuery.ts';
import { VirtualList } from '../ui/VirtualList.tsx';
import type { EventHistory as History } from './useEventHistory.ts';

const BOX_HEIGHT = 420;

/** The state class an event's type colours with (the type itself is always written out). */
function tone(type: WorkflowEvent['type']): string {
  const word = type.split('.')[1];
  return word === 'started' || word === 'created' ? 's-running' : `s-${word}`;
}

/**
 * The workflow's event history, oldest first, live: when, what, which step,
 * task and attempt, the error, the next attempt's time, the process that ran
 * it. With a task open, a switch narrows it to that task.
 */
export function EventHistory({ workflowId, history, task }: { workflowId: string; history: History; task?: string }) {
  const [onlyTask, setOnlyTask] = useState(true);
  const narrow = useMediaQuery('(max-width: 700px)');
  const events = task && onlyTask ? history.events.filter((e) => e.task === task) : history.events;
  const origin = history.events.length ? Date.parse(history.events[0].at) : 0;
  return (
    <div class="history">
      <div class="history-head">
        <span class="muted" aria-live="polite">
          {history.loaded ? `${events.length} event${events.length === 1 ? '' : 's'}` : 'Loading the history…'}
        </span>
        {task && (
          <label class="check">
            <input type="checkbox" checked={onlyTask} onChange={(e) => setOnlyTask(e.currentTarget.checked)} /> only task <code>{task}</code>
          </label>
        )}
      </div>
      {history.error !== undefined && (
        <p class="alert" role="alert">
          The history could not be read: {errorText(history.error)}
        </p>
      )}
      <VirtualList
        items={events}
        rowHeight={narrow ? 66 : 30}
        maxHeight={BOX_HEIGHT}
        getKey={(e) => String(e.id)}
        label="Event history, oldest first"
        class="events"
        renderRow={(e) => (
          <div class="event" data-type={e.type}>
            <span class="ev-at" title={formatTime(e.at)}>
              +{formatDuration(Date.parse(e.at) - origin)}
            </span>
            <span class={`ev-type ${tone(e.type)}`}>{e.type}</span>
            <span class="ev-where">
              {e.step !== undefined && <span>step {e.step + 1}</span>}
              {e.task !== undefined && (
                <a class="mono" href={href({ view: 'workflow', id: workflowId, task: e.task })}>
                  {e.task}
                </a>
              )}
              {e.attempt !== undefined && <span>attempt {e.attempt}</span>}
              {e.next_attempt_at && <span>next at {formatTime(e.next_attempt_at)}</span>}
              {e.process && <span class="muted mono">{e.process}</span>}
            </span>
            {e.error && (
              <span class="ev-error" title={e.error}>
                {e.error}
              </span>
            )}
          </div>
        )}
      />
    </div>
  );
}
