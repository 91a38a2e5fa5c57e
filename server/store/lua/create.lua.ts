import { LUA_STATES } from './luaStates.ts';

/**
 * Inserts a workflow atomically: idempotency check, sequence number, hash and
 * index entries in one step, so two concurrent creates with one key make one workflow.
 *
 * KEYS[1] the workflow's hash (`<prefix>wf:<id>`).
 * ARGV: prefix, id, state, status JSON, definition JSON, snapshot JSON,
 * idempotency key ('' for none), retention ms ('0' = keep), now (epoch ms), most
 * events kept, the name as list's filter compares it (nameSearchKey), then pairs
 * of event id and event JSON (the history's first events).
 * Returns `{ 1, id }` created (or this very create had landed already: a retry),
 * `{ 0, firstId }` key used before by another workflow, `{ -1, id }` id taken by different content.
 */
export const CREATE_SCRIPT = `
${LUA_STATES}
local prefix, id, state = ARGV[1], ARGV[2], ARGV[3]
local idem = ARGV[7]
local keepMs = tonumber(ARGV[8])
local idemKey = prefix .. 'idem:' .. idem
if idem ~= '' then
  local firstId = redis.call('GET', idemKey)
  -- A key whose workflow has expired is free again.
  -- (A key pointing at this very id is a retry; the check below settles it.)
  if firstId and firstId ~= id and redis.call('EXISTS', prefix .. 'wf:' .. firstId) == 1 then
    return { 0, firstId }
  end
end
local existing = redis.call('HMGET', KEYS[1], 'v', 'doc', 'def')
if existing[1] then
  if existing[1] == '1' and existing[2] == ARGV[4] and existing[3] == ARGV[5] then
    return { 1, id }
  end
  return { -1, id }
end
local seq = redis.call('INCR', prefix .. 'seq')
local ev = 0
local evKey = prefix .. 'ev:' .. id
for i = 12, #ARGV, 2 do
  ev = tonumber(ARGV[i])
  redis.call('XADD', evKey, 'MAXLEN', tonumber(ARGV[10]), '0-' .. ev, 'e', ARGV[i + 1])
end
redis.call('HSET', KEYS[1], 'v', 1, 'state', state, 'doc', ARGV[4], 'def', ARGV[5], 'snap', ARGV[6], 'seq', seq, 'idem', idem, 'ev', ev, 'lname', ARGV[11])
redis.call('ZADD', prefix .. 'idx:all', seq, id)
redis.call('ZADD', prefix .. 'idx:state:' .. state, seq, id)
if idem ~= '' then
  redis.call('SET', idemKey, id)
end
if keepMs > 0 and IS_TERMINAL[state] then
  redis.call('PEXPIRE', KEYS[1], keepMs)
  if ev > 0 then redis.call('PEXPIRE', evKey, keepMs) end
  if idem ~= '' then redis.call('PEXPIRE', idemKey, keepMs) end
  redis.call('ZADD', prefix .. 'idx:expiring', tonumber(ARGV[9]) + keepMs, id)
end
return { 1, id }
`;
