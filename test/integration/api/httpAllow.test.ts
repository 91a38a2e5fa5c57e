import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { call, expectError, issuePaths, waitForEnd } from './http.ts';

/** Issue 11: HTTP_TASK_ALLOW on a real server, against two local HTTP servers (one allowed, one not). */
describe('the http task under HTTP_TASK_ALLOW', () => {
  let flowstate: ServerHandle;
  let allowed: Server;
  let other: Server;
  let allowedBase: string;
  let otherBase: string;
  const otherHits: string[] = [];

  const listen = async (server: Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    other = createServer((req, res) => {
      otherHits.push(req.url ?? '/');
      res.writeHead(200).end('secret');
    });
    otherBase = await listen(other);
    allowed = createServer((req, res) => {
      if (req.url === '/hop') return void res.writeHead(302, { location: `${otherBase}/stolen` }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    allowedBase = await listen(allowed);
    flowstate = await startServer({ HTTP_TASK_ALLOW: new URL(allowedBase).host });
  });
  afterAll(async () => {
    expect(await flowstate.stop()).toBe(0);
    for (const s of [allowed, other]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  const create = (url: string) =>
    call<{ workflow_id: string }>(flowstate.url, '/api/workflow', { method: 'POST', json: { name: 'http', steps: [{ execution_type: 'sequential', tasks: [{ name: 'http', params: { url } }] }] } });

  it('refuses a URL outside the list at create: a 422 naming the url param', async () => {
    const body = expectError(await create(`${otherBase}/x`), 422, 'BAD_REQUEST');
    expect(issuePaths(body)).toEqual(['steps.0.tasks.0.params.url']);
    expect(otherHits).toEqual([]);
  });

  it('runs a request to an allowed host', async () => {
    const res = await create(`${allowedBase}/fine`);
    expect(res.status).toBe(202);
    const end = await waitForEnd(flowstate.url, res.body.workflow_id);
    expect(end.status).toBe('succeeded');
    expect(end.steps[0].tasks[0].output).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('refuses a redirect out of the list when the attempt runs, for good, without requesting it', async () => {
    const res = await create(`${allowedBase}/hop`);
    expect(res.status).toBe(202);
    const end = await waitForEnd(flowstate.url, res.body.workflow_id);
    expect(end.status).toBe('failed');
    expect(end.steps[0].tasks[0].attempts).toBe(1);
    expect(otherHits).toEqual([]);
  });
});
