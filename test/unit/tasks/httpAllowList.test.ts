import { describe, expect, it } from 'vitest';
import { parseHttpAllowList } from '../../../server/tasks/httpAllowList.ts';
import { createHttpTask } from '../../../server/tasks/builtin/http.ts';
import { ConfigError, NonRetryableError } from '../../../server/errors.ts';
import { loadConfig } from '../../../server/config.ts';

const list = (text: string) => {
  const parsed = parseHttpAllowList(text);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.list;
};

describe('HTTP_TASK_ALLOW (issue 11)', () => {
  it('matches hosts (port included when given), subdomain wildcards and URL prefixes on a path boundary', () => {
    const allow = list(' api.example.com , internal.test:8443,*.hooks.io, https://svc.example.org/v1 ,http://[::1]:9000/');
    const allowed = [
      'https://api.example.com/x',
      'http://API.example.com:8080/',
      'https://internal.test:8443/a',
      'https://a.hooks.io/',
      'https://b.c.hooks.io/x?y=1',
      'https://svc.example.org/v1',
      'https://svc.example.org/v1/items?q=1',
      'http://[::1]:9000/health',
    ];
    const refused = [
      'https://api.example.com.evil.net/',
      'https://internal.test/a',
      'https://internal.test:8444/a',
      'https://hooks.io/',
      'https://svc.example.org/v1evil',
      'https://svc.example.org/v2',
      'http://svc.example.org/v1',
      'http://[::1]:9001/',
      'ftp://api.example.com/',
      'not a url',
    ];
    for (const url of allowed) expect(allow.allows(url), url).toBe(true);
    for (const url of refused) expect(allow.allows(url), url).toBe(false);
  });

  it('refuses entries that are neither hosts nor http(s) prefixes, each named', () => {
    for (const bad of ['', ' , ', 'ftp://x.com/', 'https://user:pw@x.com/', 'https://x.com/?q=1', 'exa mple.com', 'x.com:99999', 'http://']) {
      const parsed = parseHttpAllowList(bad);
      expect(parsed.ok, bad).toBe(false);
    }
  });

  it('is validated at start-up: a bad value stops the server naming the variable; a good one is kept', () => {
    for (const bad of ['ftp://x.com/', 'ok.com, exa mple.com']) {
      const error = (() => {
        try {
          loadConfig({ HTTP_TASK_ALLOW: bad });
        } catch (e) {
          return e;
        }
      })();
      expect(error, bad).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variables).toEqual(['HTTP_TASK_ALLOW']);
    }
    expect(loadConfig({ HTTP_TASK_ALLOW: 'api.example.com' }).httpTaskAllow).toBe('api.example.com');
    expect(loadConfig({}).httpTaskAllow).toBeUndefined();
  });

  it('is enforced at create (the url param is refused) and when the attempt runs (params stored before the list changed)', async () => {
    const task = createHttpTask(list('api.example.com'));
    const refused = task.params.safeParse({ url: 'http://169.254.169.254/latest/meta-data' });
    expect(refused.error?.issues.map((i) => i.path)).toEqual([['url']]);
    expect(task.params.safeParse({ url: 'https://api.example.com/x' }).success).toBe(true);
    const ctx = { params: { url: 'http://169.254.169.254/', method: 'GET' as const, headers: {} }, upstream: {}, attempt: 1, signal: new AbortController().signal, workflowId: 'w', taskId: 't', logger: { info() {}, warn() {}, error() {} } };
    await expect(task.run(ctx)).rejects.toBeInstanceOf(NonRetryableError);
  });
});
