import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowStatus, WorkflowPage } from '../../../shared/status.ts';
import { createWorkflowClient } from '../../../client/index.ts';
import { freePort } from '../../helpers/redis.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { failingDefinition, quickDefinition, slowDefinition } from './definitions.ts';
import { runCli as runCliFunction } from '../../../client/cli/runCli.ts';
import { ROOT, runCli, runProcess, type CliRun } from './spawnCli.ts';

/** The CLI's runCli with captured output: no process start-up per call. */
async function runCliInProcess(args: string[], env: Record<string, string>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCliFunction(args, {
    env,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('CLI against a live server', () => {
  let server: ServerHandle;
  let dir: string;
  let env: Record<string, string>;
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  beforeAll(async () => {
    server = await startServer();
    env = { FLOWSTATE_URL: server.url };
    dir = mkdtempSync(join(tmpdir(), 'flowstate-cli-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    expect(await server?.stop()).toBe(0);
  });

  it('run: follows a workflow to success, one line per change when piped, exit 0', async () => {
    const run = await runProcess('npm', ['run', '-s', 'cli', '--', 'run', file('ok.json', quickDefinition('cli-ok'))], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^workflow [0-9a-f-]{36} "cli-ok" (pending|running)$/);
    // (Create answers before the launch, so a 20 ms first task may already be
    // done when the watch connects: its `running` line is not guaranteed.)
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^step 1\/2 +first \(sleep\) +succeeded +attempt 1 +\d+\.\ds$/),
        expect.stringMatching(/^step 2\/2 +report \(echo\) +succeeded +attempt 1 +\d+\.\ds$/),
        expect.stringMatching(/^step 2\/2 +second \(sleep\) +succeeded +attempt 1 +\d+\.\ds$/),
      ]),
    );
    expect(lines.at(-1)).toMatch(/^workflow succeeded in \d+\.\ds$/);
    expect(run.stdout).not.toContain('\x1b[');
    // The workflow really ran on the server.
    const id = lines[0].split(' ')[1];
    const get = await runCli(['get', id, '--json'], env);
    expect(get.code).toBe(0);
    expect((JSON.parse(get.stdout) as WorkflowStatus).status).toBe('succeeded');
  });

  it('run: a failing workflow shows the retry and the error, exit 1', async () => {
    const run = await runCli(['run', file('fail.json', failingDefinition('cli-fail'))], env);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^step 1\/2 +broken \(fail\) +failed +attempt 2 +\d+\.\ds +it broke$/),
        expect.stringMatching(/^step 2\/2 +after \(sleep\) +skipped +attempt 0$/),
      ]),
    );
    expect(lines.at(-1)).toMatch(/^workflow failed in \d+\.\ds: .*broken.*it broke/);
  });

  it('run: a definition the server rejects prints each bad field, exit 2; so does unreadable JSON', async () => {
    const bad = { name: 'bad', steps: [{ execution_type: 'serial', tasks: [{ name: 'sleep', params: { ms: -5 } }] }] };
    const run = await runCli(['run', file('bad.json', bad)], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ +steps\.0\.execution_type: /m);
    expect(run.stderr).not.toMatch(/^\s+at /m);

    const broken = await runCli(['run', file('broken.json', '{"name": ')], env);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/is not valid JSON/);
    expect((await runCli(['run', join(dir, 'missing.json')], env)).code).toBe(2);
  });

  it('exit 3 with a plain message when the server cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await runCli(['run', join(ROOT, 'examples/sample.json')], { FLOWSTATE_URL: url });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`cannot reach the Flowstate server at ${url}`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect((await runCli(['list', '--url', url], {})).code).toBe(3);
  });

  it('list, get, cancel and tasks (in-process, same code as the binary)', async () => {
    const sdk = createWorkflowClient({ url: server.url });
    const { id } = await sdk.create(slowDefinition('cli-slow'));
    const runCli = runCliInProcess;
    // Create answers pending; the store lists it as running a moment later.
    await expect.poll(async () => (await sdk.list({ status: 'running' })).items.some((w) => w.id === id), { timeout: 5000 }).toBe(true);

    const list = await runCli(['list', '--status', 'running', '--limit', '5'], env);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID +NAME +STATUS +CREATED \(UTC\) +DURATION$/);
    expect(list.stdout).toMatch(new RegExp(`^${id} +cli-slow +▶ running `, 'm'));
    const named = await runCli(['list', '--name', 'CLI-SL', '--json'], env);
    expect((JSON.parse(named.stdout) as WorkflowPage).items.map((w) => w.id)).toEqual([id]);
    expect((await runCli(['list', '--name', 'cli-slower'], env)).stdout.trim()).toBe('no workflows');
    const page = JSON.parse((await runCli(['list', '--json', '--limit', '1'], env)).stdout) as WorkflowPage;
    expect(page.items).toHaveLength(1);

    const get = await runCli(['get', id], env);
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/^cli-slow +▶ running/);
    expect(get.stdout).toMatch(/^ +1\/1 +nap \(sleep\) +▶ running +1 /m);

    const cancel = await runCli(['cancel', id], env);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toMatch(/^cli-slow +⊘ cancelled/);
    expect(cancel.stdout).toMatch(/nap \(sleep\) +⊘ cancelled/);
    // Issue 11: a cancel is reported as what it is, not as an error.
    expect(cancel.stdout.trimEnd().split('\n').at(-1)).toBe('workflow "cli-slow" was cancelled');
    expect(cancel.stdout).not.toMatch(/error/);

    // watch follows an existing workflow; this one has ended, cancelled: exit 1 at once.
    const watch = await runCli(['watch', id], env);
    expect(watch.code).toBe(1);
    expect(watch.stdout.trimEnd().split('\n').at(-1)).toMatch(/^workflow cancelled in \d+\.\ds/);

    const missing = await runCli(['get', 'no-such-id'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no workflow with id no-such-id');

    const tasks = await runCli(['tasks'], env);
    expect(tasks.code).toBe(0);
    expect(tasks.stdout).toMatch(/^sleep\n +Waits.*\n +params: ms: integer = 0$/m);
  });

  it.skipIf(!hasScript)('run on a terminal: a progress view redrawn in place, ending at the final state', async () => {
    // `script` gives the CLI a pseudo-terminal, as a person's shell would.
    const cli = `${process.execPath} --import tsx client/cli/main.ts run ${file('tty.json', quickDefinition('cli-tty', 150))}`;
    const run = await runProcess('script', ['-qefc', cli, '/dev/null'], { ...env, COLUMNS: '100', LINES: '30' });
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('\x1b[?25l'); // cursor hidden while drawing...
    expect(out).toContain('\x1b[?25h'); // ...and shown again at the end
    expect(out).toMatch(/\x1b\[\d+F\x1b\[0J/); // redrawn in place: cursor up, clear down
    const lastFrame = out.slice(out.lastIndexOf('cli-tty'));
    expect(lastFrame).toContain('✔ succeeded');
    expect(lastFrame).toMatch(/STEP +TASK +STATUS +ATTEMPT +ELAPSED/);
    expect(lastFrame).not.toMatch(/running|pending/);
  });
});
