import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { childEnv, ROOT } from './spawnCli.ts';

const PROMPT = 'flowstate> ';

/**
 * Starts the REPL as `npm run repl` does and types `inputs` one at a time,
 * each after the prompt comes back (as a person would: a piped REPL would
 * otherwise evaluate the next line while an `await` is still pending).
 */
function scriptRepl(env: Record<string, string>, inputs: string[], timeoutMs = 20_000): Promise<{ code: number | null; output: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'client/repl.ts'], { cwd: ROOT, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    const pending = [...inputs];
    let output = '';
    let stderr = '';
    let typed = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const prompts = output.split(PROMPT).length - 1;
      while (typed < prompts && pending.length > 0) {
        typed++;
        child.stdin.write(pending.shift() + '\n');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, stderr });
    });
  });
}

describe('REPL with scripted input', () => {
  const key = 'repl-test-key-0123456789abcdef';
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startServer({ API_KEY: key });
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  it('has `wf` connected with the key, the examples preloaded, and top-level await', async () => {
    const { code, output, stderr } = await scriptRepl({ FLOWSTATE_URL: server.url, FLOWSTATE_API_KEY: key }, [
      'sample.name',
      "const s = await wf.create(examples['fan-out'])",
      '(await wf.wait(s.id, { timeoutMs: 10000 })).status',
      '(await wf.list()).items.map((w) => w.name)',
      'await show(s.id)',
      '.exit',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [banner, ...answers] = output.split(PROMPT);
    expect(banner).toContain(`connected to ${server.url}`);
    expect(banner).toMatch(/await wf\.create\(sample\)/);
    expect(banner).toMatch(/await wf\.list\(\)/);
    expect(answers[0].trim()).toBe("'sample_workflow'");
    expect(answers[1].trim()).toBe('undefined');
    expect(answers[2].trim()).toBe("'succeeded'");
    expect(answers[3].trim()).toBe("[ 'fan_out_fan_in' ]");
    expect(answers[4]).toMatch(/^fan_out_fan_in +✔ succeeded/);
    expect(answers[4]).toMatch(/merge \(echo\) +✔ succeeded/);
  });

  it('says so in the banner when the server refuses the key, and still starts', async () => {
    const { code, output } = await scriptRepl({ FLOWSTATE_URL: server.url, FLOWSTATE_API_KEY: 'wrong' }, ['await wf.list().catch((e) => e.code)', '.exit']);
    expect(code).toBe(0);
    const [banner, answer] = output.split(PROMPT);
    expect(banner).toContain("refused the API key");
    expect(answer.trim()).toBe("'UNAUTHORIZED'");
  });
});
