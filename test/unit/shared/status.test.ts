import { describe, expect, it } from 'vitest';
import {
  STEP_STATES,
  TASK_STATES,
  TERMINAL_TASK_STATES,
  TERMINAL_WORKFLOW_STATES,
  UNFINISHED_WORKFLOW_STATES,
  WORKFLOW_STATES,
  WorkflowStateSchema,
  hasTaskEnded,
  isTerminal,
} from '../../../shared/status.ts';

describe('status vocabulary', () => {
  it('ends a workflow in succeeded, failed or cancelled only', () => {
    expect(WORKFLOW_STATES.filter(isTerminal)).toEqual(['succeeded', 'failed', 'cancelled']);
    expect([...TERMINAL_WORKFLOW_STATES]).toEqual(['succeeded', 'failed', 'cancelled']);
    expect(isTerminal('pending')).toBe(false);
    expect(isTerminal('running')).toBe(false);
  });

  it('splits the workflow states into unfinished and terminal, with nothing in both or neither', () => {
    expect([...UNFINISHED_WORKFLOW_STATES]).toEqual(['pending', 'running']);
    expect([...UNFINISHED_WORKFLOW_STATES, ...TERMINAL_WORKFLOW_STATES].sort()).toEqual([...WORKFLOW_STATES].sort());
  });

  it('has a task ended once it succeeded, failed, was cancelled or skipped; retrying is not an end', () => {
    expect(TASK_STATES.filter(hasTaskEnded)).toEqual(['succeeded', 'failed', 'cancelled', 'skipped']);
    expect([...TERMINAL_TASK_STATES]).toEqual(['succeeded', 'failed', 'cancelled', 'skipped']);
    expect(hasTaskEnded('retrying')).toBe(false);
  });

  it('gives every workflow end to tasks and steps too, and steps every task state but retrying', () => {
    for (const end of TERMINAL_WORKFLOW_STATES) expect(TERMINAL_TASK_STATES).toContain(end);
    expect(STEP_STATES).toEqual(TASK_STATES.filter((s) => s !== 'retrying'));
  });

  it('validates states on the wire against the same list', () => {
    expect(WorkflowStateSchema.options).toEqual([...WORKFLOW_STATES]);
    expect(WorkflowStateSchema.safeParse('retrying').success).toBe(false);
  });
});
