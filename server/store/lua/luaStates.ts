import { TERMINAL_WORKFLOW_STATES, WORKFLOW_STATES } from '../../../shared/status.ts';

/** A state name as a Lua string literal. Names are lower-case words; anything else would need escaping, so it is refused. */
function luaString(name: string): string {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`state name ${JSON.stringify(name)} cannot be written into Lua source`);
  return `'${name}'`;
}

/**
 * The workflow-state vocabulary as Lua, generated from shared/status.ts and
 * put at the top of every store script, so no script keeps its own list:
 * `WORKFLOW_STATES` (every state, one `idx:state:<state>` index each),
 * `TERMINAL_STATES` (how a workflow ends) and `IS_TERMINAL` (`IS_TERMINAL[state]`
 * is true for those).
 */
export const LUA_STATES = [
  `local WORKFLOW_STATES = { ${WORKFLOW_STATES.map(luaString).join(', ')} }`,
  `local TERMINAL_STATES = { ${TERMINAL_WORKFLOW_STATES.map(luaString).join(', ')} }`,
  `local IS_TERMINAL = { ${TERMINAL_WORKFLOW_STATES.map((s) => `[${luaString(s)}] = true`).join(', ')} }`,
].join('\n');
