import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, where `npm run cli` and `npm run repl` run. */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** What a finished CLI process left behind. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a child gets: ours without Flowstate settings, plus `env`. */
export function childEnv(env: Record<string, string>): Record<string, string | undefined> {
  const inherited = { ...process.env };
  for (const key of ['FLOWSTATE_URL', 'FLOWSTATE_API_KEY', 'NO_COLOR', 'FORCE_COLOR']) delete inherited[key];
  return { ...inherited, ...env };
}

/** Runs `command args` in `cwd` (default: the repository) to completion, killed after `timeoutMs`; output piped. */
export function runProcess(command: string, args: string[], env: Record<string, string>, options: { timeoutMs?: number; cwd?: string } = {}): Promise<CliRun> {
  const { timeoutMs = 20_000, cwd = ROOT } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the CLI (`client/cli/main.ts` under tsx, as `npm run cli` does) with `args`. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return runProcess(process.execPath, ['--import', 'tsx', 'client/cli/main.ts', ...args], env);
}
