import type { TaskInfo } from '../../shared/api.ts';

type JsonSchema = Record<string, unknown>;

/**
 * The JSON schema of one task of a definition on this server, per registered
 * task: `name` is the task's (a `const`, so `oneOf` picks exactly one), and
 * `params` are the engine's plus the task's own, as strict as the server
 * checks them. `generic` is the schema of a task of any name (from shared/),
 * whose `id`, `optional` and engine params are reused as they are.
 */
export function taskVariantSchemas(tasks: readonly TaskInfo[], generic: JsonSchema): JsonSchema[] {
  const props = (generic.properties ?? {}) as Record<string, JsonSchema>;
  const engineParams = (props.params?.properties ?? {}) as Record<string, JsonSchema>;
  return tasks.map((task) => ({
    type: 'object',
    title: task.name,
    description: task.description,
    properties: {
      name: { type: 'string', const: task.name },
      ...(props.id ? { id: props.id } : {}),
      ...(props.optional ? { optional: props.optional } : {}),
      params: withEngineParams(task.params_schema, engineParams),
    },
    required: ['name'],
    additionalProperties: false,
  }));
}

function withEngineParams(own: JsonSchema, engine: Record<string, JsonSchema>): JsonSchema {
  if (own.type === 'object' && (own.properties === undefined || typeof own.properties === 'object')) {
    return { ...own, properties: { ...(own.properties as object), ...engine } };
  }
  // Not an object schema: the engine's keys and the task's own rule both apply.
  return { allOf: [{ type: 'object', properties: engine }, own] };
}
