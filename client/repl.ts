/**
 * `npm run repl`: a Node REPL with top-level await, the SDK connected to
 * $FLOWSTATE_URL as `wf`, and the example definitions preloaded.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import repl from 'node:repl';
import { inspect } from 'node:util';
import { createWorkflowClient } from './createWorkflowClient.ts';
import { toClientError } from './FlowstateClientError.ts';
import { DEFAULT_URL } from './cli/runCli.ts';
import { renderProgress } from './cli/renderProgress.ts';
import type { WorkflowStatus } from '../shared/status.ts';

const url = process.env.FLOWSTATE_URL || DEFAULT_URL;
const wf = createWorkflowClient({ url, apiKey: process.env.FLOWSTATE_API_KEY || undefined });

// Every examples/*.json by its file name; `sample` is the original engine's sample workflow.
const examplesDir = new URL('../examples/', import.meta.url);
const examples: Record<string, unknown> = Object.fromEntries(
  readdirSync(examplesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [basename(f, '.json'), JSON.parse(readFileSync(new URL(f, examplesDir), 'utf8'))]),
);
const sample = examples.sample;
const color = process.stdout.isTTY === true && !process.env.NO_COLOR;

/** `await show(id)` or `show(status)`: the CLI's progress table instead of the raw object. */
async function show(statusOrId: WorkflowStatus | string): Promise<void> {
  const status = typeof statusOrId === 'string' ? await wf.get(statusOrId) : statusOrId;
  const size = { columns: process.stdout.columns || 120, rows: Number.POSITIVE_INFINITY };
  process.stdout.write(renderProgress(status, Date.now(), size, { color }).join('\n') + '\n');
}

/** One line on whether the server answers, so a newcomer knows before typing anything. */
async function serverLine(): Promise<string> {
  try {
    const health = await wf.trpc.health.query(undefined, { signal: AbortSignal.timeout(3000) });
    const up = `connected to ${url} (${inspect(health, { breakLength: Infinity, compact: true })})`;
    // health is public; listing tasks is the first call that proves the key works.
    const tasks = await wf.tasks().then(
      (list) => list.map((t) => t.name).join(', '),
      (err: unknown) => toClientError(err),
    );
    if (typeof tasks === 'string') return `${up}; tasks: ${tasks}`;
    return tasks.code === 'UNAUTHORIZED'
      ? `${up}\n!! but it refused the API key: set FLOWSTATE_API_KEY to the server's API_KEY`
      : `${up}\n!! listing tasks failed: ${tasks.code}`;
  } catch (err) {
    const e = toClientError(err);
    return e.code === 'UNREACHABLE' || e.code === 'INTERNAL'
      ? `!! no answer from ${url}: start the server with \`npm start\`, or set FLOWSTATE_URL`
      : `!! ${url} answered ${e.code}: ${e.message}`;
  }
}

const banner = `Flowstate REPL — ${await serverLine()}
  const s = await wf.create(sample)     start the sample workflow (examples.* holds the others)
  await wf.wait(s.id)                    wait for it to end, get the final status
  await show(s.id)                       the same as a table
  wf.watch(s.id, (st) => console.log(st.status))   follow it live
  await wf.list()                        newest workflows · wf.get(id) · wf.cancel(id) · wf.tasks()
  await wf.trpc.health.query()           the raw typed tRPC client
  .exit to leave`;
process.stdout.write(banner + '\n');

const server = repl.start({
  prompt: 'flowstate> ',
  // Statuses nest steps → tasks → output; the default depth 2 would print [Object].
  writer: (value) => inspect(value, { depth: 6, colors: color }),
});
const seed = () => Object.assign(server.context, { wf, sample, examples, show });
seed();
server.on('reset', seed);
if (process.stdin.isTTY) server.setupHistory(join(homedir(), '.flowstate_repl_history'), () => {});
// Idle keep-alive sockets and SSE streams must not keep the process alive after `.exit`.
server.on('exit', () => process.exit(0));
