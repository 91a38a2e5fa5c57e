import type { ChainableCommander, Redis } from 'ioredis';
import { CREATE_SCRIPT } from './lua/create.lua.ts';
import { LIST_SCRIPT } from './lua/list.lua.ts';
import { SAVE_SCRIPT } from './lua/save.lua.ts';

type Arg = string | number;

/** The store's Lua scripts as typed commands (ioredis runs them with EVALSHA, loading on NOSCRIPT). */
export interface ScriptCommands {
  flowstateCreate(key: string, ...args: Arg[]): Promise<[number, string]>;
  flowstateSave(key: string, ...args: Arg[]): Promise<number>;
  flowstateList(key: string, ...args: Arg[]): Promise<string[]>;
}

/** A pipeline that also carries the store's scripts. */
export type ScriptPipeline = ChainableCommander & {
  flowstateSave(key: string, ...args: Arg[]): ScriptPipeline;
};

/**
 * Registers the store's scripts on `redis` (idempotent: registering twice
 * replaces the same definitions) and returns it typed with them.
 */
export function registerScripts(redis: Redis): Redis & ScriptCommands {
  redis.defineCommand('flowstateCreate', { numberOfKeys: 1, lua: CREATE_SCRIPT });
  redis.defineCommand('flowstateSave', { numberOfKeys: 1, lua: SAVE_SCRIPT });
  redis.defineCommand('flowstateList', { numberOfKeys: 1, lua: LIST_SCRIPT });
  return redis as Redis & ScriptCommands;
}
