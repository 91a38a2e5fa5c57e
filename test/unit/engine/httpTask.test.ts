import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneStep, startEngine, waitForEnd } from '../../helpers/engine.ts';

// The built-in `http` task against a real local HTTP server.
describe('built-in task: http', () => {
  let server: Server;
  let base: string;
  const hits = new Map<string, number>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      if (path === '/json' && req.method === 'POST') {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          res.writeHead(201, { 'content-type': 'application/json', 'x-seen': req.headers['x-token'] ?? '' });
          res.end(JSON.stringify({ echoed: JSON.parse(body) }));
        });
        return;
      }
      if (path === '/flaky' && hits.get(path)! < 3) return void res.writeHead(503).end('busy');
      if (path === '/flaky') return void res.writeHead(200).end('finally');
      if (path === '/missing') return void res.writeHead(404).end('no such thing');
      if (path === '/slow') return void setTimeout(() => res.writeHead(200).end('late'), 2000);
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, headers and JSON body, and returns status, headers and parsed body', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create(
      oneStep('sequential', [{ name: 'http', params: { url: `${base}/json`, method: 'POST', headers: { 'x-token': 't1' }, body: { a: 1 } } }]),
    );
    const done = await waitForEnd(engine, wf.id);
    expect(done.status).toBe('succeeded');
    expect(done.steps[0].tasks[0].output).toMatchObject({ status: 201, headers: { 'x-seen': 't1' }, body: { echoed: { a: 1 } } });
  });

  it('retries 5xx answers and fails 4xx for good, without spending retries', async () => {
    const { engine } = await startEngine();
    const flaky = await engine.create(oneStep('sequential', [{ name: 'http', params: { url: `${base}/flaky`, retry_count: 3, retry_delay: 0.01 } }]));
    const missing = await engine.create(oneStep('sequential', [{ name: 'http', params: { url: `${base}/missing`, retry_count: 3, retry_delay: 0.01 } }]));
    const [f, m] = await Promise.all([waitForEnd(engine, flaky.id), waitForEnd(engine, missing.id)]);
    expect(f.steps[0].tasks[0]).toMatchObject({ status: 'succeeded', attempts: 3, output: { status: 200, body: 'finally' } });
    expect(m.steps[0].tasks[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(m.steps[0].tasks[0].error).toContain('404');
  });

  it('aborts the request at the task timeout', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create(oneStep('sequential', [{ name: 'http', params: { url: `${base}/slow`, timeout: 0.1 } }]));
    const done = await waitForEnd(engine, wf.id);
    expect(done.steps[0].tasks[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(done.steps[0].tasks[0].error).toContain('timed out');
    expect(Date.parse(done.finished_at!) - Date.parse(done.started_at!)).toBeLessThan(1500);
  });

  it('rejects a URL that is not http(s) at create', async () => {
    const { engine } = await startEngine();
    await expect(engine.create(oneStep('sequential', [{ name: 'http', params: { url: 'file:///etc/passwd' } }]))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      issues: [expect.objectContaining({ path: 'steps.0.tasks.0.params.url' })],
    });
  });
});
