import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickDefinition } from './definitions.ts';
import { buildAndPack, installProject, ok, readmeProjectFiles, startUserServer, type UserServer } from './packedProject.ts';
import { ROOT, runProcess } from './spawnCli.ts';

/** Only these may be imported by the SDK bundle: its own runtime dependencies. */
const SDK_IMPORTS = ['@trpc/client', 'eventsource', 'superjson', 'zod'];

const greet = (who: unknown) => ({ name: 'hello', steps: [{ execution_type: 'sequential', tasks: [{ id: 'g', name: 'greet', params: { who } }] }] });

/**
 * One packed tarball, installed into the project the README shows (its own
 * `greet` task, `src/server.ts`), compiled with tsc and started with plain
 * `node`: the library, the SDK bundle and the README checked together.
 */
describe('the packed `flowstate` package, installed into the README project', () => {
  let dir: string;
  let project: string;
  let tarball: string;
  let server: UserServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flowstate-bundle-'));
    project = join(dir, 'my-workflows');
    tarball = await buildAndPack(dir);
    await installProject(project, readmeProjectFiles(), [tarball]);
    ok(await runProcess(process.execPath, ['node_modules/typescript/bin/tsc'], {}, { cwd: project, timeoutMs: 60_000 }), 'tsc in the project');
    server = await startUserServer(project, 'dist/server.js', { PORT: '0', LOG_LEVEL: 'warn' });
  }, 150_000);

  afterAll(async () => {
    try {
      // The README's server.ts drains on SIGTERM as `npm start` does, and exits 0.
      if (server) expect(await server.stop()).toBe(0);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bundles only client code into the SDK: its JS imports nothing but the SDK runtime deps', () => {
    const js = readFileSync(join(ROOT, 'dist/client/index.js'), 'utf8');
    const imports = [...js.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(new Set(SDK_IMPORTS));
    expect(js).not.toMatch(/ioredis|xstate|createEngine|createAppRouter|node:/);
    const dts = readFileSync(join(ROOT, 'dist/client/index.d.ts'), 'utf8');
    expect(dts).toMatch(/declare function createWorkflowClient[<(]/);
    // The router's type is inlined, so the raw tRPC client is fully typed for consumers.
    expect(dts).toMatch(/type AppRouter(<.+?>)? = /);
  });

  it('compiles the library to JS importing only its declared dependencies and Node built-ins (no tsx)', () => {
    const js = readFileSync(join(ROOT, 'dist/index.js'), 'utf8');
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const packages = [...js.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]).filter((s) => !builtinModules.includes(s.replace(/^node:/, '')));
    expect(packages.length).toBeGreaterThan(0);
    for (const spec of packages) expect(Object.keys(dependencies)).toContain(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    expect(js).not.toMatch(/from "tsx|\.ts";$/m);
    const dts = readFileSync(join(ROOT, 'dist/index.d.ts'), 'utf8');
    expect(dts).toMatch(/declare function createFlowstate</);
    expect(dts).toMatch(/declare function defineTask</);
  });

  it('ships dist and examples, not the sources', async () => {
    const files = ok(await runProcess('tar', ['tzf', tarball], {}), 'tar').stdout.split('\n');
    expect(files).toEqual(
      expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/client/index.js', 'package/dist/client/index.d.ts', 'package/examples/sample.json']),
    );
    expect(files.filter((f) => /^package\/(server|client|shared|test)\//.test(f))).toEqual([]);
  });

  it("runs a workflow using the project's own task over HTTP", async () => {
    const res = await fetch(`${server.url}/api/workflow`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(greet('HTTP')) });
    expect(res.status).toBe(202);
    const { workflow_id } = (await res.json()) as { workflow_id: string };
    let status: { status: string; steps: { tasks: { output: unknown }[] }[] } | undefined;
    for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(status?.status ?? ''); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 25));
      status = (await (await fetch(`${server.url}/api/workflow/${workflow_id}`)).json()) as typeof status;
    }
    expect(status!.status).toBe('succeeded');
    expect(status!.steps[0].tasks[0].output).toEqual({ greeting: 'Good day, HTTP!' });
  });

  it("validates the project's task params at create time, naming the field", async () => {
    const res = await fetch(`${server.url}/api/workflow`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(greet(42)) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = (await res.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.issues.map((i) => i.path)).toContain('steps.0.tasks.0.params.who');
  });

  it("`import('flowstate/client')` runs the project's task and the built-ins, waiting for each", async () => {
    const script = `
      const { createWorkflowClient, isTerminal } = await import('flowstate/client');
      const wf = createWorkflowClient({ url: process.env.FLOWSTATE_URL });
      const hello = await wf.wait((await wf.create(${JSON.stringify(greet('SDK'))})).id, { timeoutMs: 10000 });
      const quick = await wf.wait((await wf.create(${JSON.stringify(quickDefinition('from-package'))})).id, { timeoutMs: 10000 });
      const report = quick.steps[1].tasks.find((t) => t.id === 'report');
      const tasks = (await wf.tasks()).map((t) => t.name);
      console.log(JSON.stringify({ hello: hello.steps[0].tasks[0].output, status: quick.status, terminal: isTerminal(quick.status), upstream: report.output.upstream, greet: tasks.includes('greet'), sleep: tasks.includes('sleep') }));
    `;
    const run = ok(await runProcess(process.execPath, ['--input-type=module', '-e', script], { FLOWSTATE_URL: server.url }, { cwd: project }), 'consumer script');
    expect(JSON.parse(run.stdout)).toEqual({ hello: { greeting: 'Good day, SDK!' }, status: 'succeeded', terminal: true, upstream: { first: { slept_ms: 20 } }, greet: true, sleep: true });
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
    // skipLibCheck as most consumers have it; the @ts-expect-error lines fail if any type degraded to any.
    const args = ['node_modules/typescript/bin/tsc', '--ignoreConfig', '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2023,esnext.disposable,dom', 'check.ts'];
    const run = await runProcess(process.execPath, args, {}, { cwd: project, timeoutMs: 60_000 });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
