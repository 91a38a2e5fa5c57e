/**
 * One workflow running in this process: its actor and live status, and each task attempt it runs.
 *
 * The room's one door: what the rest of the server imports from it.
 */
export { runAttempt } from './TaskAttempts.ts';
export { WorkflowRun } from './WorkflowRun.ts';
export { fromLazySignalPromise } from './lazySignalPromise.ts';
export { createDefinitionNormalizer } from './normalizeDefinition.ts';
