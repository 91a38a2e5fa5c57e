import type { z } from 'zod';

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  getter?: () => z.ZodType;
};

const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

/** Wrappers whose inner schema describes the same value. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/**
 * The keys the object schema at `path` declares, following `input` to pick
 * the variant of a discriminated union (a task's `name` picks its params).
 * Undefined when no object schema is found there. Used to suggest the key a
 * rejected one was meant to be.
 */
export function declaredKeysAt(schema: z.ZodType, input: unknown, path: readonly PropertyKey[]): string[] | undefined {
  let s: z.ZodType | undefined = schema;
  let value = input;
  for (let i = 0; s && i <= path.length; ) {
    const def = defOf(s);
    if (WRAPPERS.has(def.type)) s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else if (def.type === 'lazy') s = def.getter?.();
    else if (def.type === 'union' && def.discriminator) s = pickVariant(def, value);
    else if (i === path.length) return def.type === 'object' ? Object.keys(def.shape ?? {}) : undefined;
    else if (def.type === 'object') {
      const key = String(path[i++]);
      s = def.shape?.[key];
      value = child(value, key);
    } else if (def.type === 'array') {
      s = def.element;
      value = child(value, path[i++]);
    } else return undefined;
  }
  return undefined;
}

function child(value: unknown, key: PropertyKey): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
}

function pickVariant(def: Def, value: unknown): z.ZodType | undefined {
  const tag = child(value, def.discriminator!);
  return def.options?.find((option) => {
    const literal = defOf(option).shape?.[def.discriminator!];
    const values = literal ? (literal._zod.def as { values?: unknown[] }).values : undefined;
    return values?.includes(tag);
  });
}
