import { createWebSocketReceiver, type StatelyInspectionEvent } from '@statelyai/inspect';
import { createInspectorServer } from '@statelyai/inspect/server';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { ConfigError } from '../../../server/errors.ts';
import type { CreateWorkflowResponse } from '../../../server/api/restRoutes.ts';
import { freePort } from '../../helpers/redis.ts';
import { startServer } from '../../helpers/server.ts';
import { call, quickWorkflow, waitForEnd } from './http.ts';

// Issue 12: XSTATE_INSPECT attaches the Stately inspector to every workflow actor.
describe('XSTATE_INSPECT', () => {
  it('is off by default, and must be a ws:// or wss:// URL', () => {
    expect(loadConfig({}).xstateInspect).toBeUndefined();
    expect(loadConfig({ XSTATE_INSPECT: 'ws://localhost:8080' }).xstateInspect).toBe('ws://localhost:8080');
    for (const bad of ['http://localhost:8080', 'localhost:8080']) {
      expect(() => loadConfig({ XSTATE_INSPECT: bad })).toThrow(ConfigError);
      try {
        loadConfig({ XSTATE_INSPECT: bad });
      } catch (error) {
        expect((error as ConfigError).variables).toEqual(['XSTATE_INSPECT']);
      }
    }
  });

  it("sends every workflow actor's events and snapshots to the relay a browser's inspector reads", async () => {
    const port = await freePort();
    // What `npm run inspect` starts (without opening a browser), and a reader in the browser's place.
    const relay = createInspectorServer({ port, autoOpen: false });
    const seen: StatelyInspectionEvent[] = [];
    const receiver = createWebSocketReceiver({ server: `ws://127.0.0.1:${port}` });
    const subscription = receiver.subscribe((event) => seen.push(event));
    const server = await startServer({ XSTATE_INSPECT: `ws://127.0.0.1:${port}` });
    try {
      expect(server.logs()).toContain('XState inspector attached');
      const created = await call<CreateWorkflowResponse>(server.url, '/api/workflow', { method: 'POST', json: quickWorkflow('inspected', 1) });
      await waitForEnd(server.url, created.body.workflow_id);
      const deadline = Date.now() + 10_000;
      const ended = () => seen.some((e) => e.type === '@xstate.snapshot' && (e.snapshot as { value?: unknown }).value === 'succeeded');
      while (!ended() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(ended()).toBe(true);
      const workflowActor = seen.find((e) => e.type === '@xstate.actor' && e.name === 'workflow');
      expect(workflowActor).toBeDefined();
      // The context shown is the status document, not the run's counters and history.
      const final = seen.find((e) => e.type === '@xstate.snapshot' && (e.snapshot as { value?: unknown }).value === 'succeeded');
      expect(final?.type === '@xstate.snapshot' && (final.snapshot as unknown as { context: { live: { id: string } } }).context.live.id).toBe(created.body.workflow_id);
      expect(seen.some((e) => e.type === '@xstate.event' && (e.event as { type: string }).type === 'xstate.done.actor.step1_task1')).toBe(true);
    } finally {
      expect(await server.stop()).toBe(0);
      subscription.unsubscribe();
      relay.stop();
    }
  });
});
