import { z } from 'zod';
import { defineTask, NonRetryableError } from '../defineTask.ts';

const MAX_RESPONSE_CHARS = 64 * 1024;

/** Makes one HTTP request; a non-2xx answer fails the attempt (4xx for good). */
export const httpTask = defineTask({
  name: 'http',
  description: 'Sends an HTTP request and returns { status, headers, body }. 5xx and network errors are retried; 4xx fails for good.',
  params: z.object({
    url: z.url({ protocol: /^https?$/ }),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.unknown().optional(),
  }),
  async run({ params, signal }) {
    const hasBody = params.body !== undefined && params.method !== 'GET' && params.method !== 'HEAD';
    const res = await fetch(params.url, {
      method: params.method,
      headers: hasBody ? { 'content-type': 'application/json', ...params.headers } : params.headers,
      body: hasBody ? (typeof params.body === 'string' ? params.body : JSON.stringify(params.body)) : undefined,
      signal,
    });
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
