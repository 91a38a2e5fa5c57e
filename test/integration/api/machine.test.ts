import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowMachineSchema, type WorkflowMachineInfo } from '../../../shared/machine.ts';
import type { CreateWorkflowResponse } from '../../../server/api/restRoutes.ts';
import { createWorkflowClient } from '../../../client/index.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { call, expectError, quickWorkflow, waitForEnd } from './http.ts';
import { trpcClient } from './trpcClient.ts';

type StateJson = { states?: Record<string, StateJson>; type?: string; invoke?: Array<{ id: string; src: string }> };

// Issue 12: the machine a workflow runs as, fetched over REST, tRPC and the SDK.
describe('GET /api/workflow/:id/machine, workflow.machine, wf.machine (memory store)', () => {
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('answers the machine of the workflow\'s steps and where it stands, live and once it ended', async () => {
    const created = await call<CreateWorkflowResponse>(server.url, '/api/workflow', { method: 'POST', json: quickWorkflow('drawn', 600) });
    const id = created.body.workflow_id;
    let answer = await call<WorkflowMachineInfo>(server.url, `/api/workflow/${id}/machine`);
    for (let tries = 0; answer.body.value === null && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 10));
      answer = await call<WorkflowMachineInfo>(server.url, `/api/workflow/${id}/machine`);
    }
    expect(answer.status).toBe(200);
    const running = WorkflowMachineSchema.parse(answer.body);
    expect(running).toMatchObject({ id, status: 'running', value: { step1_sequential: 'task1' } });
    const machine = running.machine as StateJson & { id: string };
    expect(machine.id).toBe('workflow');
    expect(Object.keys(machine.states!)).toEqual(['step1_sequential', 'step2_parallel', 'succeeded', 'failed', 'cancelled']);
    expect(Object.keys(machine.states!.step1_sequential.states!)).toEqual(['task1', 'task1_backoff', 'task2', 'task2_backoff']);
    expect(machine.states!.step1_sequential.states!.task1.invoke).toEqual([expect.objectContaining({ id: 'step1_task1', src: 'task' })]);
    expect(machine.states!.step2_parallel.type).toBe('parallel');

    await waitForEnd(server.url, id);
    const ended = await call<WorkflowMachineInfo>(server.url, `/api/workflow/${id}/machine`);
    expect(ended.body).toMatchObject({ id, status: 'succeeded', value: 'succeeded' });
    expect(ended.body.machine).toEqual(running.machine);
  });

  it('answers an unknown id 404 and a malformed one 422, in the usual error format', async () => {
    const unknown = await call(server.url, '/api/workflow/no-such-workflow/machine');
    expect(expectError(unknown, 404, 'NOT_FOUND').detail).toBe('Workflow not found');
    expectError(await call(server.url, '/api/workflow/bad%20id/machine'), 422, 'BAD_REQUEST');
  });

  it('tRPC workflow.machine and the SDK answer the same; an unknown id is NOT_FOUND', async () => {
    const created = await call<CreateWorkflowResponse>(server.url, '/api/workflow', { method: 'POST', json: quickWorkflow('rpc', 1) });
    const id = created.body.workflow_id;
    await waitForEnd(server.url, id);
    const rest = (await call<WorkflowMachineInfo>(server.url, `/api/workflow/${id}/machine`)).body;
    expect(await trpcClient(server.url).workflow.machine.query({ id })).toEqual(rest);
    const wf = createWorkflowClient({ url: server.url });
    expect(await wf.machine(id)).toEqual(rest);
    await expect(wf.machine('no-such-workflow')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(wf.machine('bad id')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
