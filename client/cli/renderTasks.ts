import type { TaskInfo } from '../../shared/api.ts';
import { paint, type Style } from './ansi.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `ms: integer = 0`, `message?: string`: one param as its JSON schema describes it. */
function describeParam(name: string, schema: unknown, required: boolean): string {
  const s = isRecord(schema) ? schema : {};
  const type = Array.isArray(s.enum) ? s.enum.map((v) => JSON.stringify(v)).join(' | ') : typeof s.type === 'string' ? s.type : 'any';
  const dflt = 'default' in s ? ` = ${JSON.stringify(s.default)}` : '';
  return `${name}${required || dflt ? '' : '?'}: ${type}${dflt}`;
}

/** The `tasks` listing: each task's name, description and params. Pure. */
export function renderTasks(tasks: readonly TaskInfo[], style: Style): string[] {
  if (tasks.length === 0) return ['the server has no tasks registered'];
  const lines: string[] = [];
  for (const task of tasks) {
    const props = isRecord(task.params_schema.properties) ? task.params_schema.properties : {};
    const required = new Set(Array.isArray(task.params_schema.required) ? task.params_schema.required.map(String) : []);
    const params = Object.entries(props).map(([k, v]) => describeParam(k, v, required.has(k)));
    lines.push(paint(style, 'bold', task.name), `  ${task.description}`);
    lines.push(paint(style, 'gray', `  params: ${params.length ? params.join(', ') : '(none of its own)'}`));
  }
  lines.push('', 'Every task also takes the engine params: timeout, retry_count, retry_delay, priority.');
  return lines;
}
