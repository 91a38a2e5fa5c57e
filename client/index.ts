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
export { isTerminal, TERMINAL_WORKFLOW_STATES } from '../shared/status.ts';
export type { WorkflowDefinition, TaskDefinition, StepDefinition, EngineParams, Priority, ExecutionType, WorkflowDefinitionInput, TaskDefinitionInput } from '../shared/definition.ts';
export type { WorkflowStatus, StepStatus, TaskStatus, WorkflowState, TaskState, StepState, WorkflowPage } from '../shared/status.ts';
export type { TaskInfo } from '../shared/api.ts';
export type { WorkflowEvent, WorkflowEventType, EventPage } from '../shared/events.ts';
export type { ErrorCode, ErrorIssue } from '../shared/errors.ts';
export type { AppRouter, FlowstateAppRouter } from '../server/api/router.ts';
