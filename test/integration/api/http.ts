import { expect } from 'vitest';
import { ErrorBodySchema, type ErrorBody } from '../../../shared/api.ts';
import { isTerminal, type WorkflowStatus } from '../../../shared/status.ts';
import type { DefinitionFor } from '../../../client/createWorkflowClient.ts';

/** A parsed HTTP answer. */
export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Sends a request and parses the JSON answer (text when it is not JSON). */
export async function call<T = unknown>(base: string, path: string, init: RequestInit & { json?: unknown } = {}): Promise<Answer<T>> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(base + path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/**
 * Asserts an error answer: its status, its `error.code`, that the body matches
 * ErrorBodySchema, and no stack leaks. FastAPI's `detail` must agree with our
 * `error`: a 422 lists each issue as `{ loc, msg, type }`, any other status a string.
 */
export function expectError(answer: Answer, status: number, code: string): ErrorBody {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  const body = ErrorBodySchema.parse(answer.body);
  expect(body.error.code).toBe(code);
  if (status === 422) {
    expect(Array.isArray(body.detail)).toBe(true);
    const detail = body.detail as Exclude<ErrorBody['detail'], string>;
    expect(detail.map((d) => d.msg)).toEqual((body.error.issues ?? []).map((i) => i.message));
    for (const item of detail) expect(['body', 'path', 'query']).toContain(item.loc[0]);
  } else {
    expect(typeof body.detail).toBe('string');
  }
  expect(JSON.stringify(body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
  return body;
}

/** The dotted paths of an error's issues. */
export function issuePaths(body: ErrorBody): string[] {
  return (body.error.issues ?? []).map((i) => i.path);
}

/** Polls workflow `id` until `done` holds for its status, and returns that status. */
export async function waitForStatus(base: string, id: string, done: (status: WorkflowStatus) => boolean, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<WorkflowStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await call<WorkflowStatus>(base, `/api/workflow/${id}`, { headers });
    expect(status).toBe(200);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`workflow ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Polls `GET /api/workflow/:id` until the workflow is terminal. */
export function waitForEnd(base: string, id: string, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<WorkflowStatus> {
  return waitForStatus(base, id, (status) => isTerminal(status.status), headers, timeoutMs);
}

/** A small two-step workflow of fast tasks: a sequential step, then a parallel one. */
export function quickWorkflow(name = 'quick', ms = 50): DefinitionFor {
  return {
    name,
    steps: [
      { execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms } }, { name: 'echo', params: { note: 'hi' } }] },
      { execution_type: 'parallel', tasks: [{ name: 'sleep', params: { ms } }, { name: 'echo' }] },
    ],
  };
}

/** Small limits, so every bound can be crossed cheaply: the env of the limit suites (REST errors, hostile limits). */
export const SMALL_LIMITS_ENV = {
  MAX_BODY_BYTES: '4096',
  MAX_PARAMS_BYTES: '256',
  MAX_STEPS: '3',
  MAX_TASKS_PER_STEP: '3',
  MAX_TOTAL_TASKS: '4',
  MAX_NAME_LENGTH: '16',
  MAX_LIST_LIMIT: '20',
} as const;
