/**
 * Flowstate as a library: `import { createFlowstate, defineTask, NonRetryableError } from 'flowstate'`.
 * Everything public is named here; other modules are internal.
 */
export {
  createFlowstate,
  type AppRouterOf,
  type FlowstateApp,
  type FlowstateEngine,
  type FlowstateOptions,
  type FlowstateSettings,
} from './createFlowstate.ts';
export { defineTask, type TaskDefinition, type TaskContext, type TaskLogger } from './tasks/defineTask.ts';
export type { Config } from './config.ts';
export { FlowstateError, ConfigError, NonRetryableError, type FlowstateErrorCode } from './errors.ts';
export type { StatusListener } from './engine/WorkflowEngine.ts';
export type { AppRouter, FlowstateAppRouter } from './api/router.ts';
export type { Limits } from '../shared/limits.ts';
export type { WorkflowDefinition, StepDefinition, EngineParams, Priority, ExecutionType } from '../shared/definition.ts';
export type { WorkflowStatus, StepStatus, TaskStatus, WorkflowState, TaskState, StepState, WorkflowPage } from '../shared/status.ts';
export type { ListInput, TaskInfo } from '../shared/api.ts';
export type { ErrorCode, ErrorIssue } from '../shared/errors.ts';
