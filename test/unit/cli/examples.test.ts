import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkflowDefinitionSchema } from '../../../shared/definition.ts';

const dir = new URL('../../../examples/', import.meta.url);
const read = (file: string) => JSON.parse(readFileSync(new URL(file, dir), 'utf8'));

describe('examples/', () => {
  it('holds the original engine\'s sample workflow, unchanged', () => {
    expect(read('sample.json')).toEqual({
      name: 'sample_workflow',
      steps: [
        { execution_type: 'sequential', tasks: [{ name: 'task_a', params: { timeout: 30 } }, { name: 'task_b', params: { retry_count: 3 } }] },
        { execution_type: 'parallel', tasks: [{ name: 'task_c', params: { priority: 'high' } }] },
      ],
    });
  });

  it.each(readdirSync(dir).filter((f) => f.endsWith('.json')))('%s is a valid definition', (file) => {
    const parsed = WorkflowDefinitionSchema.safeParse(read(file));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});
