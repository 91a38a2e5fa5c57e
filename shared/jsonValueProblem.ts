import { hasLoneSurrogate, LONE_SURROGATE } from './textProblem.ts';

/** A value that JSON cannot carry unchanged, and where it is (relative to the value checked). */
export interface JsonValueProblem {
  path: (string | number)[];
  message: string;
}

/** Most problems reported for one value: enough to fix the input, bounded whatever it holds. */
const MAX_PROBLEMS = 20;

/**
 * Finds what in a task's params would not be stored as given: numbers that
 * are not finite (NaN, Infinity; JSON would store null), strings or keys with lone surrogates, and anything that is not JSON
 * (bigint, Date, Map, undefined, functions: what a superjson client can send).
 * Iterative, so a deep value cannot overflow the stack.
 */
export function jsonValueProblems(value: unknown): JsonValueProblem[] {
  const problems: JsonValueProblem[] = [];
  // Each entry knows its parent: a path is built only for a value that has a problem.
  const stack: Entry[] = [{ value, key: undefined, parent: undefined }];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const entry = stack.pop()!;
    const v = entry.value;
    const problem = scalarProblem(v);
    if (problem) {
      problems.push({ path: pathOf(entry), message: problem });
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: entry });
    } else if (typeof v === 'object' && v !== null) {
      for (const key of Object.keys(v)) {
        if (hasLoneSurrogate(key)) problems.push({ path: [...pathOf(entry), key], message: `the key ${LONE_SURROGATE}` });
        else stack.push({ value: (v as Record<string, unknown>)[key], key, parent: entry });
      }
    }
  }
  return problems;
}

interface Entry {
  value: unknown;
  key: string | number | undefined;
  parent: Entry | undefined;
}

function pathOf(entry: Entry): (string | number)[] {
  const path: (string | number)[] = [];
  for (let e: Entry | undefined = entry; e?.key !== undefined; e = e.parent) path.unshift(e.key);
  return path;
}

function scalarProblem(v: unknown): string | undefined {
  switch (typeof v) {
    case 'number':
      // Integers beyond 2^53 are caught in the JSON text (server/api/readJsonBody.ts): as a value, 1e20 is exact.
      return Number.isFinite(v) ? undefined : `${v} is not a finite number; JSON has no such value`;
    case 'string':
      return hasLoneSurrogate(v) ? LONE_SURROGATE : undefined;
    case 'boolean':
      return undefined;
    case 'object':
      if (v === null || Array.isArray(v)) return undefined;
      {
        const proto = Object.getPrototypeOf(v);
        return proto === Object.prototype || proto === null ? undefined : `a ${proto?.constructor?.name ?? 'non-plain'} object is not JSON`;
      }
    default:
      return `a ${typeof v} is not JSON`;
  }
}
