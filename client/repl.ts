/**
 * `npm run repl`: a Node REPL with top-level await, the SDK connected to
 * $FLOWSTATE_URL as `wf`, and the example definitions preloaded.
 * - On a terminal: interactive, with a banner and history.
 * - Piped (`npm run repl < script.js`): runs each line in order, each
 *   top-level `await` settled before the next, and exits when input ends
 *   (1 if any line failed).
 * - `npm run repl -- script.mjs`: runs the file with the same helpers as
 *   globals; exits 1 if it throws.
 * A failed line prints one line (`NOT_FOUND: …`); the error is kept as `lastError`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import repl from 'node:repl';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import type { EventEmitter } from 'node:events';
import { createWorkflowClient } from './createWorkflowClient.ts';
import { toClientError } from './errors.ts';
import { DEFAULT_URL } from './cli/runCli.ts';
import { renderProgress } from './cli/renderProgress.ts';
import { feedLines } from './feedLines.ts';
import { replErrorLine } from './replErrorLine.ts';
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

/** What every line (or the script file) can use. */
const helpers = { wf, sample, examples, show };

const scriptFile = process.argv[2];
if (scriptFile) await runFile(scriptFile);
else await startRepl(!process.stdin.isTTY);

/** Runs `file` (ESM; TypeScript too, under tsx) with the helpers as globals; exits 1 if it throws. */
async function runFile(file: string): Promise<never> {
  Object.assign(globalThis, helpers);
  const fail = (err: unknown) => {
    process.stderr.write(`${replErrorLine(err)}\n`);
    process.exit(1);
  };
  process.on('unhandledRejection', fail);
  // npm runs scripts from the package's root; a relative path means where the user typed it.
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), file);
  await import(pathToFileURL(path).href).catch(fail);
  // Idle keep-alive sockets and SSE streams would keep the process alive once the script is done.
  process.exit(0);
}

async function startRepl(piped: boolean): Promise<void> {
  const line = await serverLine();
  if (!piped) {
    process.stdout.write(`Flowstate REPL — ${line}
  const s = await wf.create(sample)     start the sample workflow (examples.* holds the others)
  await wf.wait(s.id)                    wait for it to end, get the final status
  await show(s.id)                       the same as a table
  wf.watch(s.id, (st) => console.log(st.status))   follow it live
  await wf.list()                        newest workflows · wf.get(id) · wf.cancel(id) · wf.tasks()
  await wf.trpc.health.query()           the raw typed tRPC client
  lastError                              the whole error of the last failed line
  .exit to leave
`);
  } else if (line.includes('!!')) {
    // A script's output stays its own; a server that is away or refuses the key is worth a warning.
    process.stderr.write(`${line}\n`);
  }

  let failed = false;
  const feed = piped ? feedLines(process.stdin, () => server.close()) : undefined;
  const server = repl.start({
    prompt: piped ? '' : 'flowstate> ',
    input: feed?.input ?? process.stdin,
    output: process.stdout,
    terminal: piped ? false : undefined,
    ignoreUndefined: true,
    // Statuses nest steps → tasks → output; the default depth 2 would print [Object].
    writer: (value) => inspect(value, { depth: 6, colors: color }),
  });
  // One line per failure instead of tRPC's stack and properties; the error itself stays reachable.
  // Every failure (sync, awaited, in a callback) reaches the REPL's domain; its printer is replaced.
  const domain = (server as unknown as { _domain?: EventEmitter })._domain;
  if (domain) {
    domain.removeAllListeners('error');
    domain.on('error', (err: unknown) => {
      failed = true;
      server.context.lastError = err;
      process.stderr.write(`${replErrorLine(err)}\n`);
      server.clearBufferedCommand();
      server.displayPrompt();
    });
  }
  if (feed) {
    // The REPL prompts once the line before has finished, awaits included: that is when it gets the
    // next line. Nothing is printed: a script's output is its results.
    server.prompt = () => {
      server.resume();
      feed.next();
    };
    feed.next();
  }
  const seed = () => Object.assign(server.context, helpers);
  seed();
  server.on('reset', seed);
  if (!piped) server.setupHistory(join(homedir(), '.flowstate_repl_history'), () => {});
  // Idle keep-alive sockets and SSE streams must not keep the process alive after `.exit` or the input's end.
  server.on('exit', () => process.exit(failed ? 1 : 0));
}
