import { readFileSync } from 'node:fs';

/** CPU a process has used so far (ms): its main thread, and the rest (V8's compiler and GC helpers, libuv's pool). */
export interface ProcessCpu {
  mainMs: number;
  helpersMs: number;
}

// /proc reports utime and stime in clock ticks: 100 per second on Linux (USER_HZ), whatever the kernel's HZ.
const MS_PER_TICK = 10;

function cpuTicks(statPath: string): number {
  const text = readFileSync(statPath, 'utf8');
  // Fields after the command name in parentheses (which may hold spaces): state is [0], utime [11], stime [12].
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * A process's CPU time from /proc (Linux only; null elsewhere or once it is
 * gone). The process total includes threads that have exited; the main
 * thread is the task whose id is the pid.
 */
export function processCpu(pid: number): ProcessCpu | null {
  try {
    const total = cpuTicks(`/proc/${pid}/stat`) * MS_PER_TICK;
    const mainMs = cpuTicks(`/proc/${pid}/task/${pid}/stat`) * MS_PER_TICK;
    return { mainMs, helpersMs: total - mainMs };
  } catch {
    return null;
  }
}
