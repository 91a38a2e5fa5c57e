/**
 * The Flowstate SDK, package `@flowstate/client` (re-exported as `flowstate/client`):
 * `import { createWorkflowClient } from '@flowstate/client'`.
 * Everything public is named here; other modules in client/ are internal.
 */
export {
  createWorkflowClient,
  type WorkflowClient,
  type WorkflowClientOptions,
  type ListOptions,
  type FetchLike,
  type FlowstateRouter,
  type DefinitionFor,
} from './createWorkflowClient.ts';
export { FlowstateClientError, WaitTimeoutError, type ClientErrorCode } from './errors.ts';
export type { WaitOptions } from './waitForWorkflow.ts';
export type { WatchOptions, Unsubscribe } from './watchWorkflow.ts';
export {
  isTerminal,
  hasTaskEnded,
  WORKFLOW_STATES,
  TASK_STATES,
  STEP_STATES,
  TERMINAL_WORKFLOW_STATES,
  TERMINAL_TASK_STATES,
  type WorkflowOutcome,
  type TaskOutcome,
} from '../shared/status.ts';
export type {
  WorkflowDefinition,
  StepDefinition,
  StepTaskDefinition,
  EngineParams,
  Priority,
  ExecutionType,
  WorkflowDefinitionInput,
  StepTaskDefinitionInput,
} from '../shared/definition.ts';
import type { StepTaskDefinition, StepTaskDefinitionInput, TaskSpec } from '../shared/definition.ts';
/** @deprecated Renamed {@link StepTaskDefinition}: `flowstate`'s `TaskDefinition` is a registered task (what `defineTask` returns), not a task of a step. */
export type TaskDefinition = StepTaskDefinition;
/** @deprecated Renamed {@link StepTaskDefinitionInput}. */
export type TaskDefinitionInput<T extends TaskSpec = TaskSpec> = StepTaskDefinitionInput<T>;
export type { WorkflowStatus, StepStatus, TaskStatus, WorkflowState, TaskState, StepState, WorkflowPage } from '../shared/status.ts';
export type { TaskInfo } from '../shared/api.ts';
export type { WorkflowEvent, WorkflowEventType, EventPage } from '../shared/events.ts';
export type { WorkflowMachineInfo, StateValue } from '../shared/machine.ts';
export type { ErrorCode, ErrorIssue } from '../shared/errors.ts';
export type { AppRouter, FlowstateAppRouter } from '../server/api/router.ts';
