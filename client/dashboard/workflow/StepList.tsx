import type { WorkflowStatus } from '../../index.ts';
import { summarizeStates } from '../../cli/taskRows.ts';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { TaskCard } from './TaskCard.tsx';
import { TaskTiles } from './TaskTiles.tsx';

/** Past this many tasks a step is drawn as tiles, not cards. */
const CARDS_MAX = 24;

/**
 * The steps in order. A sequential step's tasks are a chain (arrows between
 * them, in the order they run); a parallel step's sit side by side.
 */
export function StepList({ status, now, selected }: { status: WorkflowStatus; now: number; selected?: string }) {
  return (
    <ol class="steps">
      {status.steps.map((step) => (
        <li key={step.index} class={`step ${step.execution_type}`} aria-labelledby={`step-${step.index}`}>
          <h3 id={`step-${step.index}`} class="step-head">
            <span>Step {step.index + 1}</span>
            <span class="tag">
              {step.execution_type}
              {step.fail_fast ? ', fail fast' : ''}
            </span>
            <StatusBadge state={step.status} />
            <span class="muted step-summary">{summarizeStates(step.tasks)}</span>
          </h3>
          {step.tasks.length > CARDS_MAX ? (
            <TaskTiles workflowId={status.id} tasks={step.tasks} selected={selected} />
          ) : (
            <ol class={step.execution_type === 'sequential' ? 'chain' : 'side-by-side'}>
              {step.tasks.map((task) => (
                <li key={task.id}>
                  <TaskCard workflowId={status.id} task={task} now={now} selected={task.id === selected} />
                </li>
              ))}
            </ol>
          )}
        </li>
      ))}
    </ol>
  );
}
