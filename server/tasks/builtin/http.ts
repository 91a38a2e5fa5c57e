import { z } from 'zod';
import { NonRetryableError } from '../../errors.ts';
import { defineTask } from '../defineTask.ts';
import type { HttpAllowList } from '../httpAllowList.ts';

const MAX_RESPONSE_CHARS = 64 * 1024;
/** Redirects followed by hand when an allow-list is set (each hop is checked against it). */
const MAX_REDIRECTS = 5;

const NOT_ALLOWED = 'is not allowed on this server (see its HTTP_TASK_ALLOW setting)';

/**
 * The `http` task, sending requests only where `allow` permits (every http(s)
 * URL without one). The list is checked when a workflow is created (a 422
 * naming the `url` param), again when the attempt runs (a workflow stored
 * before the list changed), and at each redirect.
 */
export function createHttpTask(allow?: HttpAllowList) {
  const allowed = (url: string) => !allow || allow.allows(url);
  return defineTask({
    name: 'http',
    description: `Sends an HTTP request and returns { status, headers, body }. 5xx and network errors are retried; 4xx fails for good.${allow ? ' Only URLs this server allows (HTTP_TASK_ALLOW).' : ''}`,
    params: z.object({
      url: z.url({ protocol: /^https?$/ }).refine(allowed, NOT_ALLOWED),
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
      headers: z.record(z.string(), z.string()).default({}),
      body: z.unknown().optional(),
    }),
    async run({ params, signal }) {
      if (!allowed(params.url)) throw new NonRetryableError(`${params.url} ${NOT_ALLOWED}`);
      const hasBody = params.body !== undefined && params.method !== 'GET' && params.method !== 'HEAD';
      const init: RequestInit = {
        method: params.method,
        headers: hasBody ? { 'content-type': 'application/json', ...params.headers } : params.headers,
        body: hasBody ? (typeof params.body === 'string' ? params.body : JSON.stringify(params.body)) : undefined,
        signal,
      };
      const res = allow ? await fetchWithinList(params.url, init, allowed) : await fetch(params.url, init);
      const text = (await res.text()).slice(0, MAX_RESPONSE_CHARS);
      if (res.status >= 400 && res.status < 500) throw new NonRetryableError(`HTTP ${res.status} from ${params.url}`);
      if (!res.ok) throw new Error(`HTTP ${res.status} from ${params.url}`);
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: Object.fromEntries(res.headers), body };
    },
  });
}

/** Follows redirects by hand, so a hop to a host outside the list is refused before it is requested. */
async function fetchWithinList(url: string, init: RequestInit, allowed: (url: string) => boolean): Promise<Response> {
  let target = url;
  let request = init;
  for (let hop = 0; ; hop++) {
    const res = await fetch(target, { ...request, redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || location === null) return res;
    await res.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw new NonRetryableError(`more than ${MAX_REDIRECTS} redirects from ${url}`);
    target = new URL(location, target).href;
    if (!allowed(target)) throw new NonRetryableError(`redirect to ${target} ${NOT_ALLOWED}`);
    // 303, and 301/302 after a POST, turn into a GET without a body, as browsers and fetch do.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && request.method === 'POST')) {
      request = { ...request, method: 'GET', body: undefined };
    }
  }
}
