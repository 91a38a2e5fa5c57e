/** One HTTP answer as the fault tests see it: status 0 means no answer (connection refused, reset or timed out). */
export interface Reply<T = unknown> {
  status: number;
  body: T;
  /** Response headers (empty when there was no answer). */
  headers: Headers;
  /** How long the request took. */
  ms: number;
}

/** GET/POST with a hard timeout, never throwing: a fault test must see hangs and resets as data. */
export async function request<T = unknown>(url: string, init: { method?: string; json?: unknown; timeoutMs?: number } = {}): Promise<Reply<T>> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: init.json === undefined ? {} : { 'content-type': 'application/json' },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: res.status, body: body as T, headers: res.headers, ms: Date.now() - started };
  } catch {
    return { status: 0, body: undefined as T, headers: new Headers(), ms: Date.now() - started };
  }
}
