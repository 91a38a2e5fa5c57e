import superjson from 'superjson';

/**
 * superjson both ways, except that an answer superjson refuses to serialise
 * goes out as its plain JSON (`{ json }`, no meta). superjson throws on any
 * object key named `__proto__`, `constructor` or `prototype`, and such keys
 * reach statuses legitimately: REST accepts `constructor` in params, and a
 * task (e.g. `http`) may return any JSON. Without this, `workflow.get`,
 * `list` and `watch` of such a workflow answered 500, and so did the
 * `create` that had already started it. Statuses are JSON, so nothing is
 * lost; a superjson client reads a meta-less payload as is, keeping
 * `constructor` as data (and dropping own `__proto__` keys, never polluting).
 */
export const trpcTransformer = {
  input: superjson,
  output: {
    serialize(value: unknown): unknown {
      try {
        return superjson.serialize(value);
      } catch {
        return { json: value };
      }
    },
    deserialize: (value: unknown): unknown => superjson.deserialize(value as Parameters<typeof superjson.deserialize>[0]),
  },
};
