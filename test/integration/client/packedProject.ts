import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { childEnv, ROOT, runProcess, type CliRun } from './spawnCli.ts';

/** Throws with the output unless the run exited 0. */
export function ok(run: CliRun, what: string): CliRun {
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
  return run;
}

/**
 * The user project the README shows: every fenced block preceded by
 * `<!-- file: path -->`, by path. Tests build exactly this, so the README's
 * example cannot drift from what works.
 */
export function readmeProjectFiles(): Record<string, string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const files: Record<string, string> = {};
  for (const m of readme.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)```/g)) files[m[1]] = m[2];
  return files;
}

/** The packed tarballs of both packages. */
export interface Tarballs {
  flowstate: string;
  client: string;
}

/** `npm run build`, then `npm pack` of `flowstate` and `@flowstate/client` into `dir`. */
export async function buildAndPack(dir: string): Promise<Tarballs> {
  // Generous: on a loaded 2-core machine the two declaration builds alone took over 90 s.
  ok(await runProcess('npm', ['run', '-s', 'build'], {}, { timeoutMs: 240_000 }), 'npm run build');
  const args = ['pack', '--ignore-scripts', '--silent', '--workspaces', '--include-workspace-root', '--pack-destination', dir];
  const names = ok(await runProcess('npm', args, {}, { timeoutMs: 30_000 }), 'npm pack').stdout.trim().split('\n');
  const find = (re: RegExp) => join(dir, names.find((n) => re.test(n)) ?? '(missing)');
  return { flowstate: find(/^flowstate-\d/), client: find(/^flowstate-client-\d/) };
}

/** Writes `files` into `project` and installs its package.json plus `tarballs` (from npm's cache when it can). */
export async function installProject(project: string, files: Record<string, string>, tarballs: string[]): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  }
  const install = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs];
  ok(await runProcess('npm', ['--prefix', project, ...install], {}, { timeoutMs: 90_000 }), 'npm install');
}

/** A process started with plain `node`, whose stdout announced `listening on <url>`. */
export interface UserServer {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `node <script>` in `cwd` and resolves once it prints `listening on <url>`. */
export function startUserServer(cwd: string, script: string, env: Record<string, string>, timeoutMs = 20_000): Promise<UserServer> {
  // Flowstate settings of the test run (REDIS_URL…) must not reach the user's server.
  const inherited = childEnv({});
  for (const key of ['REDIS_URL', 'REDIS_HOST', 'REDIS_PORT', 'REDIS_PREFIX', 'API_KEY', 'PORT', 'HOST', 'NODE_ENV', 'VITEST']) delete inherited[key];
  const child = spawn(process.execPath, [script], { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "listening on" within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: string) => {
      output += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1],
        child,
        output: () => output,
        stop: () => (child.exitCode === null && child.kill('SIGTERM'), exited),
      });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before listening:\n${output}`));
    });
  });
}
