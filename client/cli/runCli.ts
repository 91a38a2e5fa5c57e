import { readFile, stat } from 'node:fs/promises';
import { createWorkflowClient, type FlowstateRouter, type WorkflowClient as TypedClient } from '../createWorkflowClient.ts';

/** The CLI runs definition files against any server, so its client takes any task (the server checks them). */
type WorkflowClient = TypedClient<FlowstateRouter>;
import { FlowstateClientError, toClientError } from '../errors.ts';
import type { WorkflowDefinition } from '../../shared/definition.ts';
import type { WorkflowStatus } from '../../shared/status.ts';
import type { Style } from './ansi.ts';
import { EXIT, exitCodeForError, exitCodeForState } from './exitCodes.ts';
import { followWorkflow, type Output } from './followWorkflow.ts';
import { parseCommand, USAGE, type Command } from './parseCommand.ts';
import { renderError, type ErrorContext } from './renderError.ts';
import { renderList } from './renderList.ts';
import { renderProgress } from './renderProgress.ts';
import { renderTasks } from './renderTasks.ts';

/** The default server, as in DESIGN.md §3. */
export const DEFAULT_URL = 'http://127.0.0.1:8000';
/** Definition files past this are refused before reading (the server's body limit is far lower). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** What the CLI touches of the outside world; tests pass their own. */
export interface CliIO {
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  /** Registers the Ctrl-C handler of `run`; returns its removal. */
  onInterrupt?: (handler: () => void) => () => void;
}

const lines = (out: Output, text: string[]) => out.write(text.map((l) => l + '\n').join(''));

/** Reads and parses a definition file; a problem is a usage error, said plainly. */
async function readDefinition(file: string): Promise<{ definition: WorkflowDefinition } | { error: string }> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { error: `${file} is not a file` };
    if (info.size > MAX_FILE_BYTES) return { error: `${file} is ${info.size} bytes; definitions are far smaller` };
    const text = await readFile(file, 'utf8');
    try {
      return { definition: JSON.parse(text) as WorkflowDefinition };
    } catch (err) {
      return { error: `${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    return { error: code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file} (${code ?? 'unknown error'})` };
  }
}

/** Follows a workflow to its end (live view or log lines) and turns the outcome into an exit code. */
async function follow(client: WorkflowClient, initial: WorkflowStatus, json: boolean, io: CliIO, style: Style, context: ErrorContext): Promise<number> {
  if (json) {
    const final = await client.wait(initial.id);
    lines(io.stdout, [JSON.stringify(final, null, 2)]);
    return exitCodeForState(final.status);
  }
  const following = followWorkflow(client, initial, io.stdout, style);
  const removeInterrupt = io.onInterrupt?.(() => {
    following.stop();
    lines(io.stderr, [
      '',
      `stopped following; workflow ${initial.id} keeps running on the server.`,
      `  follow it again: npm run cli -- watch ${initial.id}`,
      `  cancel it:       npm run cli -- cancel ${initial.id}`,
    ]);
  });
  try {
    const result = await following.done;
    if ('error' in result) {
      lines(io.stderr, renderError(result.error, { ...context, id: initial.id }, style));
      return exitCodeForError(result.error.code);
    }
    return exitCodeForState(result.status.status);
  } finally {
    removeInterrupt?.();
  }
}

async function execute(client: WorkflowClient, command: Exclude<Command, { name: 'help' }>, io: CliIO, style: Style, context: ErrorContext): Promise<number> {
  const now = Date.now();
  const view = { columns: io.stdout.columns || 120, rows: Number.POSITIVE_INFINITY };
  switch (command.name) {
    case 'run': {
      const read = await readDefinition(command.file);
      if ('error' in read) {
        lines(io.stderr, [`error: ${read.error}`]);
        return EXIT.USAGE;
      }
      return follow(client, await client.create(read.definition), command.json, io, style, context);
    }
    case 'watch':
      return follow(client, await client.get(command.id), command.json, io, style, context);
    case 'get':
    case 'cancel': {
      const status = command.name === 'get' ? await client.get(command.id) : await client.cancel(command.id);
      lines(io.stdout, command.json ? [JSON.stringify(status, null, 2)] : renderProgress(status, now, view, style));
      return EXIT.OK;
    }
    case 'list': {
      const page = await client.list({ limit: command.limit ?? 20, status: command.status, name: command.nameContains, cursor: command.cursor });
      lines(io.stdout, command.json ? [JSON.stringify(page, null, 2)] : renderList(page, now, style, command));
      return EXIT.OK;
    }
    case 'tasks': {
      const tasks = await client.tasks();
      lines(io.stdout, command.json ? [JSON.stringify(tasks, null, 2)] : renderTasks(tasks, style));
      return EXIT.OK;
    }
  }
}

/**
 * The whole CLI as a function of its arguments and I/O: parses, calls the
 * server, prints, and returns the exit code (see exitCodes.ts). Never throws
 * for expected failures and never prints a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseCommand(argv);
  if (!parsed.ok) {
    lines(io.stderr, [`error: ${parsed.error}`, 'Run `npm run cli -- --help` for usage.']);
    return EXIT.USAGE;
  }
  if (parsed.command.name === 'help') {
    lines(io.stdout, [USAGE]);
    return EXIT.OK;
  }
  const url = parsed.url ?? io.env.FLOWSTATE_URL ?? DEFAULT_URL;
  const style: Style = { color: io.stdout.isTTY === true && !io.env.NO_COLOR };
  const command = parsed.command;
  const context: ErrorContext = {
    url,
    file: command.name === 'run' ? command.file : undefined,
    id: command.name === 'get' || command.name === 'cancel' || command.name === 'watch' ? command.id : undefined,
  };
  let client: WorkflowClient;
  try {
    client = createWorkflowClient<FlowstateRouter>({ url, apiKey: io.env.FLOWSTATE_API_KEY || undefined });
  } catch (err) {
    lines(io.stderr, [`error: bad server settings: ${err instanceof Error ? err.message : String(err)}`]);
    return EXIT.USAGE;
  }
  try {
    return await execute(client, command, io, style, context);
  } catch (err) {
    const clientError = err instanceof FlowstateClientError ? err : toClientError(err);
    lines(io.stderr, renderError(clientError, context, { color: io.stderr.isTTY === true && !io.env.NO_COLOR }));
    if (io.env.DEBUG && err instanceof Error && err.stack) lines(io.stderr, [err.stack]);
    return exitCodeForError(clientError.code);
  }
}
