import { Redis } from 'ioredis';

/** Redis traffic counted on the client side, by command (Lua scripts by their name). */
export interface CommandCounts {
  /** Commands sent, by name (`evalsha` as `script:<name>`, BullMQ's and the store's alike). */
  byName: Map<string, number>;
  /** Round trips: a command on its own, or one whole pipeline / MULTI. */
  roundTrips: number;
  commands: number;
}

type SendCommand = (this: Redis, command: { name: string; args: unknown[] }, stream?: { isPipeline?: boolean }) => unknown;

/**
 * Counts every command every ioredis connection of this process sends (the
 * store's, BullMQ's queue and worker) until `stop()`. Counted in the client,
 * so other users of a shared Redis do not blur it (`INFO commandstats` would).
 * For profiling only: it patches `Redis.prototype.sendCommand`.
 */
export function countRedisCommands(): { counts: CommandCounts; stop(): void } {
  const proto = Redis.prototype as unknown as { sendCommand: SendCommand };
  const original = proto.sendCommand;
  const counts: CommandCounts = { byName: new Map(), roundTrips: 0, commands: 0 };
  const pipelines = new WeakSet<object>();
  proto.sendCommand = function (this: Redis, command, stream) {
    counts.commands++;
    if (!stream?.isPipeline) counts.roundTrips++;
    else if (!pipelines.has(stream)) {
      pipelines.add(stream);
      counts.roundTrips++;
    }
    const name = command.name === 'evalsha' ? `script:${scriptName(this, String(command.args[0]))}` : command.name;
    counts.byName.set(name, (counts.byName.get(name) ?? 0) + 1);
    return original.call(this, command, stream);
  };
  return { counts, stop: () => void (proto.sendCommand = original) };
}

function scriptName(redis: Redis, sha: string): string {
  const scripts = (redis as unknown as { scriptsSet: Record<string, { sha: string }> }).scriptsSet;
  for (const [name, script] of Object.entries(scripts)) if (script.sha === sha) return name;
  return sha.slice(0, 8);
}
