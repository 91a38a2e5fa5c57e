/**
 * Reads one page newest first from an index, with the status documents, in
 * one step. Ids whose hash has expired are skipped and removed from every
 * index on the way; the entries examined per call are bounded by a budget.
 *
 * KEYS[1] the index (`<prefix>idx:all` or `<prefix>idx:state:<state>`).
 * ARGV: prefix, exclusive max score ('+inf' for the first page), limit, scan budget.
 * Returns `{ nextCursor or '', doc, doc, ... }`.
 */
export const LIST_SCRIPT = `
local prefix, limit, budget = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4])
local max = ARGV[2]
if max ~= '+inf' then max = '(' .. max end
local out = { '' }
local found = 0
local cursor = ''
local more = false
local scanned = 0
while not more and scanned < budget do
  local batch = redis.call('ZREVRANGEBYSCORE', KEYS[1], max, '-inf', 'WITHSCORES', 'LIMIT', 0, limit - found + 1)
  if #batch == 0 then break end
  for i = 1, #batch, 2 do
    local id, score = batch[i], batch[i + 1]
    local doc = redis.call('HGET', prefix .. 'wf:' .. id, 'doc')
    if doc then
      if found == limit then
        -- One live item past the page: there is a next page, and it starts after 'cursor'.
        more = true
        break
      end
      found = found + 1
      out[found + 1] = doc
    else
      redis.call('ZREM', prefix .. 'idx:all', id)
      for _, s in ipairs({ 'pending', 'running', 'succeeded', 'failed', 'cancelled' }) do
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
  -- Out of budget (a long run of expired ids): hand back what we have and a
  -- cursor that resumes exactly here, if anything is left below it.
  more = redis.call('ZREVRANGEBYSCORE', KEYS[1], max, '-inf', 'LIMIT', 0, 1)[1] ~= nil
end
if more then out[1] = cursor end
return out
`;
