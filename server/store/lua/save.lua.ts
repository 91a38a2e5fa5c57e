import { LUA_STATES } from './luaStates.ts';

/**
 * Writes one workflow's new state atomically, if its stored version is the one
 * before: fields, move between state indexes, expiry of finished workflows,
 * and a bounded sweep of index entries whose hash has expired.
 *
 * KEYS[1] the workflow's hash (`<prefix>wf:<id>`).
 * ARGV: prefix, id, version, state, status JSON, snapshot JSON, retention ms
 * ('0' = keep), now (epoch ms), most events kept, then pairs of event id and
 * event JSON to append to the history stream `<prefix>ev:<id>` (ids the
 * stream has already are skipped: a retried write appends nothing twice).
 * Publishes the newest event id on `<prefix>changed:<id>` for watchers in any process.
 * Returns 1 written (or the identical write had landed already), 0 version conflict.
 */
export const SAVE_SCRIPT = `
${LUA_STATES}
local prefix, id, version, state = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local keepMs, now = tonumber(ARGV[7]), tonumber(ARGV[8])
local stored = redis.call('HMGET', KEYS[1], 'v', 'state', 'seq', 'idem', 'ev')
if not stored[1] then
  return 0
end
local storedVersion = tonumber(stored[1])
if storedVersion ~= version - 1 then
  -- A retry of a write whose reply was lost finds its own data: that is success,
  -- not a conflict. (Documents are read only on this rare path.)
  if storedVersion == version then
    local docs = redis.call('HMGET', KEYS[1], 'doc', 'snap')
    if docs[1] == ARGV[5] and docs[2] == ARGV[6] then return 1 end
  end
  return 0
end
local evKey = prefix .. 'ev:' .. id
local ev = tonumber(stored[5] or '0')
local maxEvents = tonumber(ARGV[9])
for i = 10, #ARGV, 2 do
  local eventId = tonumber(ARGV[i])
  if eventId > ev then
    redis.call('XADD', evKey, 'MAXLEN', maxEvents, '0-' .. eventId, 'e', ARGV[i + 1])
    ev = eventId
  end
end
redis.call('HSET', KEYS[1], 'v', ARGV[3], 'state', state, 'doc', ARGV[5], 'snap', ARGV[6], 'ev', ev)
redis.call('PUBLISH', prefix .. 'changed:' .. id, ev)
if stored[2] ~= state then
  redis.call('ZREM', prefix .. 'idx:state:' .. stored[2], id)
  redis.call('ZADD', prefix .. 'idx:state:' .. state, stored[3], id)
end
local idem = stored[4]
local idemKey = prefix .. 'idem:' .. (idem or '')
-- The key expires with its workflow only while it still names it (a later create may have taken it over).
local function ownsIdem()
  return idem and idem ~= '' and redis.call('GET', idemKey) == id
end
if not IS_TERMINAL[state] then
  if IS_TERMINAL[stored[2]] then
    redis.call('PERSIST', KEYS[1])
    redis.call('PERSIST', evKey)
    if ownsIdem() then redis.call('PERSIST', idemKey) end
    redis.call('ZREM', prefix .. 'idx:expiring', id)
  end
  return 1
end
if keepMs > 0 then
  redis.call('PEXPIRE', KEYS[1], keepMs)
  redis.call('PEXPIRE', evKey, keepMs)
  if ownsIdem() then redis.call('PEXPIRE', idemKey, keepMs) end
  redis.call('ZADD', prefix .. 'idx:expiring', now + keepMs, id)
  -- Each finished workflow clears up to 16 expired ones from the indexes, so
  -- the indexes shrink as fast as they grow even if nobody lists.
  local due = redis.call('ZRANGEBYSCORE', prefix .. 'idx:expiring', '-inf', now, 'LIMIT', 0, 16)
  for _, deadId in ipairs(due) do
    if redis.call('EXISTS', prefix .. 'wf:' .. deadId) == 0 then
      redis.call('ZREM', prefix .. 'idx:all', deadId)
      for _, s in ipairs(TERMINAL_STATES) do
        redis.call('ZREM', prefix .. 'idx:state:' .. s, deadId)
      end
      redis.call('ZREM', prefix .. 'idx:expiring', deadId)
    end
  end
end
return 1
`;
