import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { quickDefinition } from './definitions.ts';
import { ROOT, runProcess, type CliRun } from './spawnCli.ts';

/** Only these may be imported by the bundle: the SDK's own runtime dependencies. */
const ALLOWED_IMPORTS = ['@trpc/client', 'eventsource', 'superjson', 'zod'];

function ok(run: CliRun, what: string): CliRun {
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
  return run;
}

describe('the built SDK, installed into another project as `flowstate`', () => {
  let dir: string;
  let project: string;
  let tarball: string;
  let server: ServerHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flowstate-bundle-'));
    project = join(dir, 'consumer');
    const [, started] = await Promise.all([
      (async () => {
        ok(await runProcess('npm', ['run', '-s', 'build'], {}, { timeoutMs: 60_000 }), 'npm run build');
        const pack = ok(await runProcess('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {}, { timeoutMs: 30_000 }), 'npm pack');
        tarball = join(dir, pack.stdout.trim().split('\n').at(-1)!);
        ok(await runProcess('mkdir', ['-p', project], {}), 'mkdir');
        writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
        const install = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball];
        ok(await runProcess('npm', ['--prefix', project, ...install], {}, { timeoutMs: 90_000 }), 'npm install');
      })(),
      startServer(),
    ]);
    server = started;
  }, 120_000);

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(await server?.stop()).toBe(0);
  });

  it('bundles only client code: the JS imports nothing but the SDK runtime deps, and no server code', () => {
    const js = readFileSync(join(ROOT, 'dist/client/index.js'), 'utf8');
    const imports = [...js.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(new Set(ALLOWED_IMPORTS));
    expect(js).not.toMatch(/ioredis|xstate|createEngine|createAppRouter|node:/);
    const dts = readFileSync(join(ROOT, 'dist/client/index.d.ts'), 'utf8');
    expect(dts).toMatch(/declare function createWorkflowClient\(/);
    // The router's type is inlined, so the raw tRPC client is fully typed for consumers.
    expect(dts).toMatch(/type AppRouter = /);
  });

  it('ships dist and examples, not the sources', async () => {
    const files = ok(await runProcess('tar', ['tzf', tarball], {}), 'tar').stdout.split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/dist/client/index.js', 'package/dist/client/index.d.ts', 'package/examples/sample.json']));
    expect(files.filter((f) => /^package\/(server|client|shared|test)\//.test(f))).toEqual([]);
  });

  it("`import('flowstate/client')` creates a workflow and waits for it against a live server", async () => {
    const script = `
      const { createWorkflowClient, isTerminal } = await import('flowstate/client');
      const wf = createWorkflowClient({ url: process.env.FLOWSTATE_URL });
      const created = await wf.create(${JSON.stringify(quickDefinition('from-package'))});
      const done = await wf.wait(created.id, { timeoutMs: 10000 });
      const report = done.steps[1].tasks.find((t) => t.id === 'report');
      console.log(JSON.stringify({ status: done.status, terminal: isTerminal(done.status), upstream: report.output.upstream }));
    `;
    const run = ok(await runProcess(process.execPath, ['--input-type=module', '-e', script], { FLOWSTATE_URL: server.url }, { cwd: project }), 'consumer script');
    expect(JSON.parse(run.stdout)).toEqual({ status: 'succeeded', terminal: true, upstream: { first: { slept_ms: 20 } } });
  });

  it('type-checks a consumer against the bundled .d.ts, router types included', async () => {
    writeFileSync(
      join(project, 'check.ts'),
      `import { createWorkflowClient, FlowstateClientError, type WorkflowStatus, type ClientErrorCode } from 'flowstate/client';
const wf = createWorkflowClient({ url: 'http://127.0.0.1:8000', apiKey: 'k' });
export async function run(): Promise<WorkflowStatus> {
  const created = await wf.create({ name: 'x', steps: [{ execution_type: 'parallel', tasks: [{ name: 'sleep', params: { ms: 1 } }] }] });
  const viaTrpc: WorkflowStatus = await wf.trpc.workflow.get.query({ id: created.id });
  // @ts-expect-error the raw client is typed from the router: "id" is required
  await wf.trpc.workflow.get.query({ nope: 1 });
  // @ts-expect-error and definitions are typed: execution_type is sequential | parallel
  await wf.create({ name: 'x', steps: [{ execution_type: 'serial', tasks: [{ name: 'a' }] }] });
  const code: ClientErrorCode = new FlowstateClientError('TIMEOUT', 'm').code;
  void code;
  return viaTrpc;
}
`,
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    // skipLibCheck as most consumers have it; the @ts-expect-error lines fail if any type degraded to any.
    const args = [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2023,esnext.disposable,dom', 'check.ts'];
    const run = await runProcess(process.execPath, args, {}, { cwd: project, timeoutMs: 60_000 });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
