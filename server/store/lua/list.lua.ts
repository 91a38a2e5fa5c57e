import { LUA_STATES } from './luaStates.ts';

/**
 * Reads one page newest first from an index, with the status documents, in
 * one step. Ids whose hash has expired are skipped and removed from every
 * index on the way; the entries examined per call are bounded by a budget.
 *
 * With a name filter (ARGV[5], the filter as nameSearchKey folds it; '' for
 * none) only workflows whose `lname` field contains it, as plain text, are
 * listed. Entries that do not match count against the same budget, so a rare
 * name comes back as short pages whose cursor resumes exactly where the
 * budget stopped. A workflow stored before `lname` existed is matched on the
 * `name` of its status document, lower-cased here (ASCII letters only: Lua
 * knows no Unicode case).
 *
 * KEYS[1] the index (`<prefix>idx:all` or `<prefix>idx:state:<state>`).
 * ARGV: prefix, exclusive max score ('+inf' for the first page), limit, scan budget, name filter.
 * Returns `{ nextCursor or '', doc, doc, ... }`.
 */
export const LIST_SCRIPT = `
${LUA_STATES}
local prefix, limit, budget = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4])
local needle = ARGV[5] or ''
local max = ARGV[2]
if max ~= '+inf' then max = '(' .. max end
local out = { '' }
local found = 0
local cursor = ''
local more = false
local scanned = 0

-- The status document of workflow 'id' when it is listed (false when it does
-- not match the filter), and whether its hash exists at all.
local function read(id)
  local key = prefix .. 'wf:' .. id
  if needle == '' then
    local doc = redis.call('HGET', key, 'doc')
    return doc, doc ~= false
  end
  local folded = redis.call('HGET', key, 'lname')
  if folded then
    if string.find(folded, needle, 1, true) then return redis.call('HGET', key, 'doc'), true end
    return false, true
  end
  local doc = redis.call('HGET', key, 'doc')
  if not doc then return false, false end
  local ok, status = pcall(cjson.decode, doc)
  if ok and type(status) == 'table' and type(status.name) == 'string'
    and string.find(string.lower(status.name), needle, 1, true) then
    return doc, true
  end
  return false, true
end

while not more and scanned < budget do
  local want = limit - found + 1
  -- Under a filter most entries may not match: read the index in larger batches.
  if needle ~= '' then want = math.max(want, math.min(budget - scanned, 256)) end
  local batch = redis.call('ZREVRANGEBYSCORE', KEYS[1], max, '-inf', 'WITHSCORES', 'LIMIT', 0, want)
  if #batch == 0 then break end
  for i = 1, #batch, 2 do
    local id, score = batch[i], batch[i + 1]
    local doc, exists = read(id)
    if doc then
      if found == limit then
        -- One listed item past the page: there is a next page, and it starts after 'cursor'.
        more = true
        break
      end
      found = found + 1
      out[found + 1] = doc
    elseif not exists then
      redis.call('ZREM', prefix .. 'idx:all', id)
      for _, s in ipairs(WORKFLOW_STATES) do
        redis.call('ZREM', prefix .. 'idx:state:' .. s, id)
      end
      redis.call('ZREM', prefix .. 'idx:expiring', id)
    end
    cursor = score
    max = '(' .. score
    scanned = scanned + 1
    if scanned >= budget then break end
  end
end
if not more and scanned >= budget then
  -- Out of budget (a long run of expired or unmatched ids): hand back what we
  -- have and a cursor that resumes exactly here, if anything is left below it.
  more = redis.call('ZREVRANGEBYSCORE', KEYS[1], max, '-inf', 'LIMIT', 0, 1)[1] ~= nil
end
if more then out[1] = cursor end
return out
`;
