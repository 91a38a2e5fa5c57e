import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';

/**
 * Preload (`node --import ./bench/profileOnSignal.ts …`) that profiles a
 * running process between two SIGUSR2s, so a warm server can be profiled
 * without its start-up and JIT warm-up: the first signal starts V8's CPU
 * profiler, the second writes `<PROFILE_DIR>/<pid>-<n>.cpuprofile` (read it
 * with bench/topSelfTime.ts).
 */
const dir = process.env.PROFILE_DIR ?? '.';
const session = new Session();
session.connect();
let running = false;
let written = 0;

process.on('SIGUSR2', () => {
  void (async () => {
    if (!running) {
      running = true;
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      return;
    }
    running = false;
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `${process.pid}-${++written}.cpuprofile`), JSON.stringify(profile));
  })();
});
