import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { ROOT, runProcess, type CliRun } from './spawnCli.ts';

/** Runs `command` in a shell from `cwd`, as a user would type it; stdin is whatever the command line says. */
function shell(command: string, env: Record<string, string>, cwd: string): Promise<CliRun> {
  return runProcess('sh', ['-c', command], env, { cwd, timeoutMs: 30_000 });
}

/**
 * Each line needs the one before it settled: `s` exists only once its
 * `await` is done. Before the fix, piped lines ran while the previous await
 * was pending (`Cannot read properties of undefined`).
 */
const SCRIPT = [
  'sample.name',
  "const s = await wf.create(examples['fan-out'])",
  's.id.length',
  '(await wf.wait(s.id, { timeoutMs: 10000 })).status',
  'const ids = (await wf.list()).items.map((w) => w.id)',
  'ids.includes(s.id)',
  "await wf.get('no-such-workflow')",
  'lastError.code',
  'function twice(x) {',
  '  return 2 * x;',
  '}',
  'twice(21)',
  '',
  'await show(s.id)',
].join('\n');

describe('REPL scripting (a real server, the REPL as `npm run repl`)', () => {
  const key = 'repl-test-key-0123456789abcdef';
  let server: ServerHandle;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startServer({ API_KEY: key });
    env = { FLOWSTATE_URL: server.url, FLOWSTATE_API_KEY: key };
    dir = mkdtempSync(join(tmpdir(), 'flowstate-repl-'));
    writeFileSync(join(dir, 'script.js'), SCRIPT + '\n');
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(await server?.stop()).toBe(0);
  });

  it.each([
    ['npm run repl < script.js', `npm --prefix '${ROOT}' run -s repl < script.js`],
    ['cat script.js | npm run repl', `cat script.js | npm --prefix '${ROOT}' run -s repl`],
  ])('`%s` runs each line once the one before settled, prints only results, and exits at the end', async (_title, command) => {
    const { code, stdout, stderr } = await shell(command, env, dir);
    const out = stdout.split('\n');
    // Results only: no banner, no prompts, no `undefined` for declarations.
    expect(out.slice(0, 6)).toEqual(["'sample_workflow'", '36', "'succeeded'", 'true', "'NOT_FOUND'", '42']);
    expect(out[6]).toMatch(/^fan_out_fan_in +✔ succeeded/);
    expect(stdout).toMatch(/merge \(echo\) +✔ succeeded/);
    // The failed call: one line, code first; the whole error stayed reachable as lastError.
    expect(stderr).toMatch(/^NOT_FOUND: [^\n]*no-such-workflow[^\n]*\n$/);
    // A line failed, so the run as a whole did.
    expect(code).toBe(1);
  });

  it('exits 0 when every line succeeds, and the key problem is said once on stderr', async () => {
    writeFileSync(join(dir, 'ok.js'), 'const t = await wf.tasks()\nt.some((x) => x.name === "sleep")\n');
    const good = await shell(`npm --prefix '${ROOT}' run -s repl < ok.js`, env, dir);
    expect([good.code, good.stdout, good.stderr]).toEqual([0, 'true\n', '']);

    const wrong = await shell(`npm --prefix '${ROOT}' run -s repl < ok.js`, { ...env, FLOWSTATE_API_KEY: 'wrong-key-0123456789' }, dir);
    expect(wrong.code).toBe(1);
    const lines = wrong.stderr.trim().split('\n');
    expect(lines.some((l) => l.includes('refused the API key'))).toBe(true);
    expect(lines.filter((l) => l.startsWith('UNAUTHORIZED: '))).toHaveLength(1);
  });

  it('`npm run repl -- script.mjs` runs a file (imports and top-level await) with the helpers in scope', async () => {
    writeFileSync(
      join(dir, 'run.mjs'),
      `import { setTimeout as sleep } from 'node:timers/promises';
const s = await wf.create(examples['fan-out']);
await sleep(1);
const done = await wf.wait(s.id, { timeoutMs: 10000 });
console.log(JSON.stringify([done.name, done.status, sample.name, typeof show]));
`,
    );
    // A path relative to where the user typed the command, not to the package npm runs in.
    const run = await shell(`npm --prefix '${ROOT}' run -s repl -- run.mjs`, env, dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['fan_out_fan_in', 'succeeded', 'sample_workflow', 'function']);
  });

  it('`npm run repl -- script.mjs` exits 1 with one line when the script throws', async () => {
    writeFileSync(join(dir, 'fail.mjs'), "console.log('before');\nawait wf.get('no-such-workflow');\nconsole.log('after');\n");
    const run = await shell(`npm --prefix '${ROOT}' run -s repl -- fail.mjs`, env, dir);
    expect(run.stdout).toBe('before\n');
    expect(run.stderr).toMatch(/^NOT_FOUND: [^\n]*\n$/);
    expect(run.code).toBe(1);
  });
});
