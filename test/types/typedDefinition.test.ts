import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineTask } from '../../server/tasks/defineTask.ts';
import type { AppRouter, FlowstateAppRouter } from '../../server/api/router.ts';
import { createWorkflowClient, type DefinitionFor, type FlowstateRouter } from '../../client/createWorkflowClient.ts';
import type { WorkflowDefinition } from '../../shared/definition.ts';
import type { StepTaskDefinition, StepTaskDefinitionInput, TaskDefinition as SdkTaskDefinition, TaskDefinitionInput as SdkTaskDefinitionInput } from '../../client/index.ts';

/**
 * Issue 11: the definition is typed by the server's task registry. These are
 * compile-time checks (`tsc --noEmit` runs over test/): every
 * `@ts-expect-error` line must fail to compile, or the type check fails.
 * The calls sit in functions that never run: nothing is sent.
 */

/** A team's own task, as a `createFlowstate({ tasks })` app would register it. */
const resize = defineTask({
  name: 'resize',
  description: 'Resizes an image.',
  params: z.object({ width: z.number().int().positive(), format: z.enum(['png', 'jpg']).default('png') }),
  async run({ params }) {
    return { width: params.width };
  },
});
const myTasks = [resize] as const;
type MyRouter = AppRouter<typeof myTasks>;

const url = 'http://127.0.0.1:9';

describe('the definition typed by the registry (compile-time)', () => {
  it('built-in server: task names and their params are checked in wf.create', () => {
    const wf = createWorkflowClient({ url });
    const compileOnly = () => {
      void wf.create({ name: 'ok', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 10, timeout: 5, retry_count: 1 } }] }] });
      void wf.create({ name: 'ok', steps: [{ execution_type: 'parallel', tasks: [{ name: 'echo', params: { anything: { at: 'all' } } }, { name: 'task_a', params: { priority: 'high' } }] }] });
      // @ts-expect-error an unknown task name
      void wf.create({ name: 'x', steps: [{ execution_type: 'sequential', tasks: [{ name: 'nope' }] }] });
      // @ts-expect-error a param of the wrong type (sleep's ms is a number)
      void wf.create({ name: 'x', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 'ten' } }] }] });
      // @ts-expect-error a typo of an engine param
      void wf.create({ name: 'x', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { retry_cout: 3 } }] }] });
      // @ts-expect-error the original's simulated tasks take only the engine's params
      void wf.create({ name: 'x', steps: [{ execution_type: 'sequential', tasks: [{ name: 'task_b', params: { seconds: 1 } }] }] });
      // @ts-expect-error http needs its url
      void wf.create({ name: 'x', steps: [{ execution_type: 'sequential', tasks: [{ name: 'http', params: { method: 'GET' } }] }] });
      // @ts-expect-error an unknown step field
      void wf.create({ name: 'x', steps: [{ execution_type: 'sequential', tsks: [], tasks: [{ name: 'echo' }] }] });
      // @ts-expect-error a bad engine param value
      void wf.create({ name: 'x', steps: [{ execution_type: 'sequential', tasks: [{ name: 'echo', params: { priority: 'urgent' } }] }] });
    };
    expect(compileOnly).toBeTypeOf('function');
    expectTypeOf<DefinitionFor['steps'][number]['tasks'][number]['name']>().toEqualTypeOf<'task_a' | 'task_b' | 'task_c' | 'sleep' | 'fail' | 'echo' | 'http'>();
  });

  it("a user's own registry types its own router and client", () => {
    const wf = createWorkflowClient<MyRouter>({ url });
    const compileOnly = () => {
      void wf.create({ name: 'ok', steps: [{ execution_type: 'sequential', tasks: [{ name: 'resize', params: { width: 640, timeout: 30 } }] }] });
      // @ts-expect-error a built-in this server does not register
      void wf.create({ name: 'x', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep' }] }] });
      // @ts-expect-error width is required
      void wf.create({ name: 'x', steps: [{ execution_type: 'sequential', tasks: [{ name: 'resize', params: {} }] }] });
      // @ts-expect-error format is png or jpg
      void wf.create({ name: 'x', steps: [{ execution_type: 'sequential', tasks: [{ name: 'resize', params: { width: 1, format: 'gif' } }] }] });
    };
    expect(compileOnly).toBeTypeOf('function');
    expectTypeOf<DefinitionFor<MyRouter>['steps'][number]['tasks'][number]['name']>().toEqualTypeOf<'resize'>();
  });

  it('a createFlowstate app types its router as its tasks plus the built-ins, or its tasks alone', () => {
    expectTypeOf<DefinitionFor<FlowstateAppRouter<typeof myTasks>>['steps'][number]['tasks'][number]['name']>().toEqualTypeOf<
      'task_a' | 'task_b' | 'task_c' | 'sleep' | 'fail' | 'echo' | 'http' | 'resize'
    >();
    expectTypeOf<DefinitionFor<FlowstateAppRouter<typeof myTasks, false>>['steps'][number]['tasks'][number]['name']>().toEqualTypeOf<'resize'>();
    const wf = createWorkflowClient<FlowstateAppRouter<typeof myTasks>>({ url });
    const compileOnly = () => {
      void wf.create({ name: 'ok', steps: [{ execution_type: 'parallel', tasks: [{ name: 'resize', params: { width: 1 } }, { name: 'sleep', params: { ms: 1 } }] }] });
      // @ts-expect-error resize's params are still checked next to the built-ins
      void wf.create({ name: 'x', steps: [{ execution_type: 'parallel', tasks: [{ name: 'resize', params: { widht: 1 } }] }] });
    };
    expect(compileOnly).toBeTypeOf('function');
  });

  it('an untyped client (any server, definitions read from files) takes any task', () => {
    const wf = createWorkflowClient<FlowstateRouter>({ url });
    const fromFile = JSON.parse('{}') as WorkflowDefinition;
    const compileOnly = () => void wf.create(fromFile);
    expect(compileOnly).toBeTypeOf('function');
    // The built-in client does not take an untyped definition: a file's content is not checked at compile time.
    // @ts-expect-error names are `string` here, not the registry's
    const typed = () => void createWorkflowClient({ url }).create(fromFile);
    expect(typed).toBeTypeOf('function');
  });

  it('the SDK names a task of a step StepTaskDefinition; its old name stays as an alias of it (issue 12)', () => {
    expectTypeOf<SdkTaskDefinition>().toEqualTypeOf<StepTaskDefinition>();
    expectTypeOf<SdkTaskDefinitionInput<typeof resize>>().toEqualTypeOf<StepTaskDefinitionInput<typeof resize>>();
    expectTypeOf<StepTaskDefinition>().toEqualTypeOf<WorkflowDefinition['steps'][number]['tasks'][number]>();
  });
});
