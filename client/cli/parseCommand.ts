import { parseArgs } from 'node:util';
import { MAX_NAME_FILTER_LENGTH, NameFilterSchema, WorkflowIdSchema } from '../../shared/api.ts';
import { DEFAULT_LIMITS } from '../../shared/limits.ts';
import { WorkflowStateSchema, type WorkflowState } from '../../shared/status.ts';

/** One thing the CLI was asked to do. */
export type Command =
  | { name: 'run'; file: string; json: boolean }
  | { name: 'get'; id: string; json: boolean }
  | { name: 'watch'; id: string; json: boolean }
  | { name: 'list'; status?: WorkflowState; nameContains?: string; limit?: number; cursor?: string; json: boolean }
  | { name: 'cancel'; id: string; json: boolean }
  | { name: 'tasks'; json: boolean }
  | { name: 'help' };

/** What the argument list means: a command (with an optional server URL override) or a usage error. */
export type ParsedCommand = { ok: true; command: Command; url?: string } | { ok: false; error: string };

/** The text of `--help`. */
export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  run <definition.json>   create a workflow and follow it live until it ends
  watch <id>              follow an existing workflow live until it ends
  get <id>                show a workflow's status
  list                    newest workflows first
      --status <state>    only pending | running | succeeded | failed | cancelled
      --name <text>       only names containing <text>, ignoring case
      --limit <n>         how many (1-${DEFAULT_LIMITS.maxListLimit}, default 20)
      --cursor <c>        the next page, as printed under the previous one
  cancel <id>             cancel a pending or running workflow
  tasks                   the tasks the server can run, with their params

Options:
  --json                  print the raw JSON status instead of the view
  --url <url>             server URL (default: $FLOWSTATE_URL or http://127.0.0.1:8000)
  -h, --help              this text

The API key, if the server wants one, is read from $FLOWSTATE_API_KEY.
Exit codes: 0 success · 1 workflow failed or cancelled (run, watch), or the server refused
(not found, unauthorized) · 2 usage error or rejected definition · 3 server unreachable`;

const ARITY: Record<string, number> = { run: 1, watch: 1, get: 1, cancel: 1, list: 0, tasks: 0, help: 0 };

/** Parses the CLI's arguments (without `node` and the script). Pure; never exits. */
export function parseCommand(argv: readonly string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        url: { type: 'string' },
        status: { type: 'string' },
        name: { type: 'string' },
        limit: { type: 'string' },
        cursor: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    // node:util reports unknown flags and missing flag values as readable messages.
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const { values, positionals } = parsed;
  const [name = 'help', ...rest] = positionals;
  if (values.help || name === 'help') return { ok: true, command: { name: 'help' } };
  if (!(name in ARITY)) return { ok: false, error: `unknown command "${name}"` };
  if (rest.length !== ARITY[name]) {
    return { ok: false, error: ARITY[name] === 0 ? `"${name}" takes no arguments` : `"${name}" needs exactly one argument` };
  }
  const listOnly = (['status', 'name', 'limit', 'cursor'] as const).find((k) => values[k] !== undefined);
  if (listOnly && name !== 'list') return { ok: false, error: `--${listOnly} only goes with "list"` };
  const url = values.url;
  const json = values.json ?? false;

  switch (name) {
    case 'run':
      return { ok: true, url, command: { name, file: rest[0], json } };
    case 'get':
    case 'watch':
    case 'cancel': {
      const id = WorkflowIdSchema.safeParse(rest[0]);
      if (!id.success) return { ok: false, error: `"${rest[0]}" is not a workflow id` };
      return { ok: true, url, command: { name, id: id.data, json } };
    }
    case 'list': {
      let status: WorkflowState | undefined;
      if (values.status !== undefined) {
        const s = WorkflowStateSchema.safeParse(values.status);
        if (!s.success) return { ok: false, error: `--status must be one of ${WorkflowStateSchema.options.join(', ')}` };
        status = s.data;
      }
      let limit: number | undefined;
      if (values.limit !== undefined) {
        limit = Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > DEFAULT_LIMITS.maxListLimit) {
          return { ok: false, error: `--limit must be a whole number from 1 to ${DEFAULT_LIMITS.maxListLimit}` };
        }
      }
      const nameContains = values.name === undefined ? undefined : NameFilterSchema.safeParse(values.name);
      if (nameContains && !nameContains.success) return { ok: false, error: `--name must be text of at most ${MAX_NAME_FILTER_LENGTH} characters` };
      return { ok: true, url, command: { name, status, nameContains: nameContains?.data || undefined, limit, cursor: values.cursor, json } };
    }
    default:
      return { ok: true, url, command: { name: 'tasks', json } };
  }
}
