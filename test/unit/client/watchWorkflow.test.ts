import { describe, expect, it } from 'vitest';
import { FlowstateClientError } from '../../../client/errors.ts';
import { watchWorkflow, type SubscriptionHandlers } from '../../../client/watchWorkflow.ts';
import type { WorkflowState, WorkflowStatus } from '../../../shared/status.ts';
import { sampleDefinition, statusFor } from '../../store/fixtures.ts';

const status = (state: WorkflowState, name = 'w'): WorkflowStatus => ({ ...statusFor('wf', sampleDefinition(), state), name, created_at: 'fixed', started_at: null, finished_at: null });

/** A transport whose stream the test drives (`stream`) and whose `get` answers from `answers`, in order. */
function fakeTransport(answers: Array<WorkflowStatus | Error> = []) {
  const t = {
    stream: undefined as SubscriptionHandlers | undefined,
    unsubscribed: 0,
    gets: 0,
    subscribe(_id: string, handlers: SubscriptionHandlers) {
      t.stream = handlers;
      return { unsubscribe: () => void t.unsubscribed++ };
    },
    async get() {
      const next = answers[Math.min(t.gets++, answers.length - 1)];
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return t;
}

/** Resolves once `check` holds (polled every few ms, at most 2 s). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('watchWorkflow (SDK)', () => {
  it('reports each new status from the stream once, and stops at the terminal one', () => {
    const transport = fakeTransport();
    const seen: string[] = [];
    watchWorkflow(transport, 'wf', (s) => seen.push(`${s.status}:${s.name}`), { connectTimeoutMs: 60_000 });
    const stream = transport.stream!;
    stream.onStarted();
    stream.onData({ id: '1', data: status('running', 'a') });
    stream.onData({ id: '1', data: status('running', 'a') });
    stream.onData(status('running', 'b'));
    stream.onData({ id: '3', data: status('succeeded', 'b') });
    stream.onData({ id: '4', data: status('failed', 'late') });
    expect(seen).toEqual(['running:a', 'running:b', 'succeeded:b']);
    expect(transport.unsubscribed).toBe(1);
  });

  it('falls back to polling `get` when the stream fails, until the workflow ends', async () => {
    const transport = fakeTransport([status('running'), status('running'), status('cancelled')]);
    const seen: WorkflowState[] = [];
    watchWorkflow(transport, 'wf', (s) => seen.push(s.status), { pollIntervalMs: 1, connectTimeoutMs: 60_000 });
    transport.stream!.onError(new Error('stream broke'));
    await until(() => seen.includes('cancelled'));
    expect(seen).toEqual(['running', 'cancelled']);
    expect(transport.gets).toBe(3);
  });

  it('gives up polling at once on an error polling cannot fix, and after maxConsecutiveErrors of any other', async () => {
    const notFound = Object.assign(new Error('no workflow'), { data: { code: 'NOT_FOUND', httpStatus: 404 } });
    const fatal = fakeTransport([notFound]);
    const fatalErrors: FlowstateClientError[] = [];
    watchWorkflow(fatal, 'wf', () => {}, { onError: (e) => fatalErrors.push(e), pollIntervalMs: 1 });
    fatal.stream!.onComplete();
    await until(() => fatalErrors.length === 1);
    expect([fatalErrors[0].code, fatal.gets]).toEqual(['NOT_FOUND', 1]);

    const down = fakeTransport([Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })]);
    const downErrors: FlowstateClientError[] = [];
    watchWorkflow(down, 'wf', () => {}, { onError: (e) => downErrors.push(e), pollIntervalMs: 1, maxConsecutiveErrors: 3 });
    down.stream!.onError(new Error('x'));
    await until(() => downErrors.length === 1);
    expect([downErrors[0].code, down.gets]).toEqual(['UNREACHABLE', 3]);
  });

  it('polls when the stream does not open within connectTimeoutMs', async () => {
    const transport = fakeTransport([status('succeeded')]);
    const seen: WorkflowState[] = [];
    watchWorkflow(transport, 'wf', (s) => seen.push(s.status), { connectTimeoutMs: 5 });
    await until(() => seen.length === 1);
    expect([seen[0], transport.gets]).toEqual(['succeeded', 1]);
  });

  it('stops for good when unsubscribed: nothing more is reported', () => {
    const transport = fakeTransport();
    const seen: WorkflowState[] = [];
    const stop = watchWorkflow(transport, 'wf', (s) => seen.push(s.status), { connectTimeoutMs: 60_000 });
    stop();
    stop();
    transport.stream!.onData(status('running'));
    expect([seen, transport.unsubscribed]).toEqual([[], 1]);
  });
});
