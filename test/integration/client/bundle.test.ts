import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickDefinition } from './definitions.ts';
import { buildAndPack, installProject, ok, readmeProjectFiles, startUserServer, type Tarballs, type UserServer } from './packedProject.ts';
import { ROOT, runProcess } from './spawnCli.ts';

/** Only these may be imported by the SDK bundle: its own runtime dependencies. */
const SDK_IMPORTS = ['@trpc/client', 'eventsource', 'superjson', 'zod'];
/** What installing the SDK must never pull in: the server's machinery and build tools. */
const SERVER_ONLY = ['ioredis', 'xstate', 'bullmq', 'tsx', 'esbuild', 'flowstate'];

const greet = (who: unknown) => ({ name: 'hello', steps: [{ execution_type: 'sequential', tasks: [{ id: 'g', name: 'greet', params: { who } }] }] });

/**
 * A consumer of the SDK: compiles only if the bundled .d.ts keeps the router's
 * types (the @ts-expect-error lines fail if any type degraded to any).
 */
function consumerSource(specifier: string): string {
  return `import { createWorkflowClient, FlowstateClientError, type WorkflowStatus, type ClientErrorCode } from '${specifier}';
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
`;
}

/**
 * Both packages packed once. `flowstate` is installed into the project the
 * README shows (its own `greet` task, `src/server.ts`), compiled with tsc and
 * started with plain `node`; `@flowstate/client` alone into an empty project.
 */
describe('the packed packages, installed into the README project and an empty one', () => {
  let dir: string;
  let project: string;
  let sdkProject: string;
  let tarballs: Tarballs;
  let server: UserServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flowstate-bundle-'));
    project = join(dir, 'my-workflows');
    sdkProject = join(dir, 'sdk-only');
    tarballs = await buildAndPack(dir);
    await Promise.all([
      (async () => {
        // Both tarballs: `flowstate` depends on `@flowstate/client`, which is not on the registry.
        // src/check.ts rides along in the project's own compile: `flowstate/client`'s types are checked there.
        await installProject(project, { ...readmeProjectFiles(), 'src/check.ts': consumerSource('flowstate/client') }, [tarballs.flowstate, tarballs.client]);
        ok(await runProcess(process.execPath, ['node_modules/typescript/bin/tsc'], {}, { cwd: project, timeoutMs: 60_000 }), 'tsc in the project');
        server = await startUserServer(project, 'dist/server.js', { PORT: '0', LOG_LEVEL: 'warn' });
      })(),
      installProject(sdkProject, { 'package.json': JSON.stringify({ name: 'sdk-only', private: true }) }, [tarballs.client]),
    ]);
  }, 400_000);

  afterAll(async () => {
    try {
      // The README's server.ts drains on SIGTERM as `npm start` does, and exits 0.
      if (server) expect(await server.stop()).toBe(0);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bundles only client code into the SDK: its JS imports nothing but the SDK runtime deps', () => {
    const js = readFileSync(join(ROOT, 'client/dist/index.js'), 'utf8');
    const imports = [...js.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(new Set(SDK_IMPORTS));
    const cjs = readFileSync(join(ROOT, 'client/dist/index.cjs'), 'utf8');
    expect(new Set([...cjs.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))).toEqual(new Set(SDK_IMPORTS));
    for (const code of [js, cjs]) expect(code).not.toMatch(/ioredis|xstate|createEngine|createAppRouter|node:/);
    for (const file of ['index.d.ts', 'index.d.cts']) {
      const dts = readFileSync(join(ROOT, 'client/dist', file), 'utf8');
      expect(dts).toMatch(/declare function createWorkflowClient[<(]/);
      // The router's type is inlined, so the raw tRPC client is fully typed for consumers.
      expect(dts).toMatch(/type AppRouter(<.+?>)? = /);
      expect(new Set([...dts.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1].split('/').slice(0, 2).join('/')))).toEqual(new Set(['@trpc/client', '@trpc/server', 'zod']));
    }
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

  it('ships compiled files (and the examples), not the sources', async () => {
    const files = ok(await runProcess('tar', ['tzf', tarballs.flowstate], {}), 'tar').stdout.split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts', 'package/reexport/client.js', 'package/reexport/client.cjs', 'package/examples/sample.json']));
    expect(files.filter((f) => /^package\/(server|client|shared|test)\//.test(f))).toEqual([]);
    const sdk = ok(await runProcess('tar', ['tzf', tarballs.client], {}), 'tar').stdout.split('\n').filter(Boolean);
    expect(sdk.filter((f) => !f.endsWith('.map')).sort()).toEqual(
      ['package/README.md', 'package/dist/index.cjs', 'package/dist/index.d.cts', 'package/dist/index.d.ts', 'package/dist/index.js', 'package/package.json'].sort(),
    );
  });

  it("installs @flowstate/client without the server's packages", async () => {
    const installed = (name: string) => existsSync(join(sdkProject, 'node_modules', name));
    expect(installed('@flowstate/client')).toBe(true);
    expect(SERVER_ONLY.filter(installed)).toEqual([]);
    const du = ok(await runProcess('du', ['-sk', 'node_modules'], {}, { cwd: sdkProject }), 'du');
    const packages = ok(await runProcess('npm', ['ls', '--all', '--parseable'], {}, { cwd: sdkProject }), 'npm ls').stdout.trim().split('\n').length - 1;
    // The README quotes these figures.
    console.info(`@flowstate/client installed: ${packages} packages, ${Math.round(Number(du.stdout.split('\t')[0]) / 1024)} MB`);
  });

  it('runs from the SDK-only project both as ESM (import) and as CommonJS (require)', async () => {
    const body = (fn: string) => `
      const wf = ${fn}.createWorkflowClient({ url: process.env.FLOWSTATE_URL });
      wf.create(${JSON.stringify(greet('module'))})
        .then((c) => wf.wait(c.id, { timeoutMs: 10000 }))
        .then((done) => console.log(JSON.stringify([done.status, ${fn}.isTerminal(done.status), typeof ${fn}.FlowstateClientError])));
    `;
    const esm = ok(await runProcess(process.execPath, ['--input-type=module', '-e', `const sdk = await import('@flowstate/client');${body('sdk')}`], { FLOWSTATE_URL: server.url }, { cwd: sdkProject }), 'ESM');
    const cjs = ok(await runProcess(process.execPath, ['--input-type=commonjs', '-e', `const sdk = require('@flowstate/client');${body('sdk')}`], { FLOWSTATE_URL: server.url }, { cwd: sdkProject }), 'CJS');
    expect(JSON.parse(esm.stdout)).toEqual(['succeeded', true, 'function']);
    expect(JSON.parse(cjs.stdout)).toEqual(['succeeded', true, 'function']);
    // And `flowstate/client` is the same SDK, re-exported, both ways.
    const viaRoot = ok(await runProcess(process.execPath, ['-e', `const a = require('flowstate/client'); import('@flowstate/client').then((b) => console.log(a.createWorkflowClient === require('@flowstate/client').createWorkflowClient, typeof b.createWorkflowClient))`], {}, { cwd: project }), 'flowstate/client');
    expect(viaRoot.stdout.trim()).toBe('true function');
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

  it('serves the docs and the prebuilt dashboard from the installed package, as `npm start` does', async () => {
    for (const path of ['/', '/dashboard/app.js', '/dashboard/app.css', '/docs', '/openapi.json']) {
      const res = await fetch(`${server.url}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      expect((await res.text()).length).toBeGreaterThan(100);
    }
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

  it("type-checks a consumer of '@flowstate/client' in the SDK-only project against the bundled .d.ts, router types included", async () => {
    writeFileSync(join(sdkProject, 'check.ts'), consumerSource('@flowstate/client'));
    // The project's own typescript (tRPC's peer); skipLibCheck as most consumers have it.
    const args = ['node_modules/typescript/bin/tsc', '--ignoreConfig', '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2023,esnext.disposable,dom', 'check.ts'];
    const run = await runProcess(process.execPath, args, {}, { cwd: sdkProject, timeoutMs: 60_000 });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
