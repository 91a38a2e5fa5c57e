import type { DefinitionFor } from '../../../client/createWorkflowClient.ts';

/** Two quick steps: `sleep` then a parallel `echo` + `sleep` (data flows into the echo). */
export function quickDefinition(name = 'quick', ms = 20): DefinitionFor {
  return {
    name,
    steps: [
      { execution_type: 'sequential', tasks: [{ id: 'first', name: 'sleep', params: { ms } }] },
      { execution_type: 'parallel', tasks: [{ id: 'report', name: 'echo', params: { note: 'hi' } }, { id: 'second', name: 'sleep', params: { ms } }] },
    ],
  };
}

/** Fails after one retry: `fail` on every attempt with retry_count 1. */
export function failingDefinition(name = 'failing'): DefinitionFor {
  return {
    name,
    steps: [
      { execution_type: 'sequential', tasks: [{ id: 'broken', name: 'fail', params: { message: 'it broke', retry_count: 1, retry_delay: 0.02 } }] },
      { execution_type: 'sequential', tasks: [{ id: 'after', name: 'sleep', params: { ms: 20 } }] },
    ],
  };
}

/** One long sleep: stays running until cancelled. */
export function slowDefinition(name = 'slow', ms = 30_000): DefinitionFor {
  return { name, steps: [{ execution_type: 'sequential', tasks: [{ id: 'nap', name: 'sleep', params: { ms } }] }] };
}
