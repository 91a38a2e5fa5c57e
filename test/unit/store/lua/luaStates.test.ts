import { readdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TASK_STATES, TERMINAL_WORKFLOW_STATES, WORKFLOW_STATES, isTerminal } from '../../../../shared/status.ts';
import { LUA_STATES } from '../../../../server/store/lua/luaStates.ts';
import { redisUrlForTests } from '../../../helpers/redis.ts';

const url = await redisUrlForTests();

/** Every script of the store (each `*.lua.ts` module's exported strings); each must take its states from LUA_STATES, never spell one out. */
const luaDir = new URL('../../../../server/store/lua/', import.meta.url);
const SCRIPTS: Array<[string, string]> = [];
for (const file of readdirSync(luaDir).filter((f) => f.endsWith('.lua.ts'))) {
  const module: Record<string, unknown> = await import(new URL(file, luaDir).href);
  for (const [name, value] of Object.entries(module)) if (typeof value === 'string') SCRIPTS.push([`${file} ${name}`, value]);
}

describe('Lua state vocabulary', () => {
  it('finds the store\'s scripts', () => {
    expect(SCRIPTS.map(([name]) => name).sort()).toEqual(['create.lua.ts CREATE_SCRIPT', 'list.lua.ts LIST_SCRIPT', 'save.lua.ts SAVE_SCRIPT']);
  });

  it.each(SCRIPTS)('%s starts with the generated vocabulary and names no state itself', (_, script) => {
    expect(script.trimStart().startsWith(LUA_STATES)).toBe(true);
    const own = script.replace(LUA_STATES, '');
    for (const state of new Set([...WORKFLOW_STATES, ...TASK_STATES])) {
      // A quoted state or an index key spelled with one is a hand-written copy of the vocabulary.
      expect(own, state).not.toMatch(new RegExp(`['"]${state}['"]|idx:state:${state}`));
    }
  });

  describe.skipIf(url === null)('evaluated by Redis', () => {
    const redis = new Redis(url!);
    afterAll(() => redis.quit());

    it('holds exactly the states of shared/status.ts, and calls terminal exactly the terminal ones', async () => {
      const probe = `${LUA_STATES}
local flags = {}
for i, s in ipairs(WORKFLOW_STATES) do flags[i] = IS_TERMINAL[s] and 1 or 0 end
return { WORKFLOW_STATES, TERMINAL_STATES, flags }`;
      const [states, terminal, flags] = (await redis.eval(probe, 0)) as [string[], string[], number[]];
      expect(states).toEqual([...WORKFLOW_STATES]);
      expect(terminal).toEqual([...TERMINAL_WORKFLOW_STATES]);
      expect(flags).toEqual(WORKFLOW_STATES.map((s) => (isTerminal(s) ? 1 : 0)));
    });
  });
});
