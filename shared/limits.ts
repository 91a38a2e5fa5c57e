/**
 * Size bounds on a workflow definition. The server reads overrides from env
 * (see server/config.ts); these defaults are what the schemas enforce when
 * nothing else is configured, so the client and the docs share them.
 */
export interface Limits {
  /** Max steps in one workflow. */
  maxSteps: number;
  /** Max tasks in one step. */
  maxTasksPerStep: number;
  /** Max tasks across all steps of one workflow. */
  maxTotalTasks: number;
  /** Max bytes of one task's params, serialised as JSON. */
  maxParamsBytes: number;
  /** Max length of workflow names, task names and task ids. */
  maxNameLength: number;
  /** Max bytes of an HTTP request body. */
  maxBodyBytes: number;
  /** Max page size of a list call. */
  maxListLimit: number;
}

/** The bounds in force when no env override is given. */
export const DEFAULT_LIMITS: Limits = {
  maxSteps: 100,
  maxTasksPerStep: 1000,
  maxTotalTasks: 5000,
  maxParamsBytes: 16 * 1024,
  maxNameLength: 128,
  maxBodyBytes: 1024 * 1024,
  maxListLimit: 500,
};
