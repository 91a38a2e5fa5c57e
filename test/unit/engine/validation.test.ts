import { describe, expect, it } from 'vitest';
import { FlowstateError } from '../../../server/errors.ts';
import { startEngine } from '../../helpers/engine.ts';
import { DEFAULT_LIMITS } from '../../../shared/limits.ts';

async function rejection(p: Promise<unknown>): Promise<FlowstateError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FlowstateError);
  return error as FlowstateError;
}

const task = (name: string, params?: Record<string, unknown>) => ({ name, ...(params ? { params } : {}) });
const def = (tasks: unknown[], execution_type = 'sequential') => ({ name: 'v', steps: [{ execution_type, tasks }] });

describe('engine: definition checks at create', () => {
  it('accepts the original engine JSON verbatim', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create({
      name: 'sample_workflow',
      steps: [
        { execution_type: 'sequential', tasks: [{ name: 'task_a', params: { timeout: 30 } }, { name: 'task_b', params: { retry_count: 3 } }] },
        { execution_type: 'parallel', tasks: [{ name: 'task_c', params: { priority: 'high' } }] },
      ],
    });
    expect(wf.steps.flatMap((s) => s.tasks.map((t) => t.name))).toEqual(['task_a', 'task_b', 'task_c']);
    await engine.cancel(wf.id);
  });

  it.each([
    ['missing steps', { name: 'x' }, 'steps'],
    ['empty steps', { name: 'x', steps: [] }, 'steps'],
    ['bad execution_type', { name: 'x', steps: [{ execution_type: 'sideways', tasks: [task('echo')] }] }, 'steps.0.execution_type'],
    ['negative timeout', def([task('echo', { timeout: -1 })]), 'steps.0.tasks.0.params.timeout'],
    ['unknown task', def([task('echo'), task('nope')]), 'steps.0.tasks.1.name'],
    ["a task's own bad param", def([task('sleep', { ms: 'soon' })]), 'steps.0.tasks.0.params.ms'],
    ['bad priority', def([task('echo', { priority: 'urgent' })]), 'steps.0.tasks.0.params.priority'],
    ['duplicate ids', def([{ name: 'echo', id: 'a' }, { name: 'echo', id: 'a' }]), 'steps.0.tasks.1.id'],
    ['not an object', 'hello', '(root)'],
  ])('rejects %s with BAD_REQUEST naming the field', async (_label, input, path) => {
    const { engine } = await startEngine();
    const error = await rejection(engine.create(input));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.issues?.map((i) => i.path)).toContain(path);
  });

  it('lists the known tasks when a name is unknown', async () => {
    const { engine } = await startEngine();
    const error = await rejection(engine.create(def([task('nope')])));
    expect(error.issues![0].message).toContain('task_a');
    expect(error.issues![0].message).toContain('sleep');
  });

  it('enforces the size bounds', async () => {
    const limits = { ...DEFAULT_LIMITS, maxSteps: 2, maxTasksPerStep: 3, maxTotalTasks: 4, maxParamsBytes: 100, maxNameLength: 10 };
    const { engine } = await startEngine({ limits });
    const step = { execution_type: 'parallel', tasks: [task('echo')] };
    const cases: [unknown, string][] = [
      [{ name: 'x', steps: [step, step, step] }, 'steps'],
      [def([task('echo'), task('echo'), task('echo'), task('echo')]), 'steps.0.tasks'],
      [{ name: 'x', steps: [{ ...step, tasks: [task('echo'), task('echo'), task('echo')] }, { ...step, tasks: [task('echo'), task('echo')] }] }, 'steps'],
      [def([task('echo', { blob: 'x'.repeat(200) })]), 'steps.0.tasks.0.params'],
      [{ name: 'a-very-long-name', steps: [step] }, 'name'],
    ];
    for (const [input, path] of cases) {
      const error = await rejection(engine.create(input));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.issues?.map((i) => i.path)).toContain(path);
    }
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const { engine } = await startEngine();
    expect((await rejection(engine.get('does-not-exist'))).code).toBe('NOT_FOUND');
  });
});
