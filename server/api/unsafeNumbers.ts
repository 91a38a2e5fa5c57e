import type { ErrorIssue } from '../../shared/errors.ts';

/**
 * Number literals that `JSON.parse` would change silently: integers beyond
 * 2^53 (`12345678901234567890123` is rounded), literals past the largest
 * double (`1e400` becomes Infinity, then `null` when stored) and non-zero
 * literals too small for one (`1e-400` becomes 0). Each comes back as an
 * issue at its field's path. The value alone cannot tell a rounded integer
 * from an exact one, so this reads the text.
 */
export function unsafeNumberIssues(text: string): ErrorIssue[] {
  // Almost every body has no 16-digit run and no 3-digit exponent: one linear test, then done.
  if (!SUSPECT.test(text)) return [];
  const bad = findUnsafeLiterals(text);
  if (bad.length === 0) return [];
  return locate(text, bad);
}

const SUSPECT = /\d{16}|[eE][+-]?\d{3}/;
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
/** Most literals reported: the body may hold a million of them. */
const MAX_REPORTED = 20;

interface Literal {
  start: number;
  end: number;
  message: string;
}

function findUnsafeLiterals(text: string): Literal[] {
  const found: Literal[] = [];
  let inString = false;
  for (let i = 0; i < text.length && found.length < MAX_REPORTED; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    if (c !== 0x2d /* - */ && (c < 0x30 || c > 0x39)) continue;
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) continue;
    const literal = m[0];
    const message = literalProblem(literal, m[1] !== undefined || m[2] !== undefined);
    if (message) found.push({ start: i, end: i + literal.length, message });
    i += literal.length - 1;
  }
  return found;
}

function literalProblem(literal: string, isFloat: boolean): string | undefined {
  const value = Number(literal);
  if (!Number.isFinite(value)) return `${literal} is beyond the largest number a JSON double holds; it would be stored as null`;
  if (!isFloat) {
    return Number.isSafeInteger(value) ? undefined : `${literal} is an integer beyond 2^53; it would be stored rounded (send it as a string)`;
  }
  if (value === 0 && /[1-9]/.test(literal.replace(/[eE].*$/, ''))) return `${literal} is too small for a JSON double; it would be stored as 0`;
  return undefined;
}

const SENTINEL = '\u0000\u0001unsafe-number:';

/** Finds each literal's path: parse the text with the literals swapped for marker strings, then walk. */
function locate(text: string, bad: Literal[]): ErrorIssue[] {
  let marked = '';
  let from = 0;
  bad.forEach((b, i) => {
    marked += `${text.slice(from, b.start)}"\\u0000\\u0001unsafe-number:${i}"`;
    from = b.end;
  });
  marked += text.slice(from);
  let root: unknown;
  try {
    root = JSON.parse(marked);
  } catch {
    // The text is not JSON at all: the parse that follows says so.
    return [];
  }
  const issues: ErrorIssue[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string' && value.startsWith(SENTINEL)) {
      const literal = bad[Number(value.slice(SENTINEL.length))];
      if (literal) issues.push({ path: path.join('.') || '(root)', message: literal.message, loc: ['body', ...path], type: 'finite_number' });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
    }
  }
  return issues.sort((a, b) => (a.path < b.path ? -1 : 1));
}
