-- Appends one chat message atomically: de-duplicate on the client id, add, cap, refresh the TTL.
-- KEYS[1] the room's stream, KEYS[2] the sender+client-id marker (both share the `{room}` hash tag,
-- so this also runs on a Redis cluster).
-- ARGV: max messages, TTL seconds, '1' if a client id is given, the message as JSON (field `m`).
-- Returns {stream id, fields, 1 if added or 0 if it was a repeat}. `make bench` runs this same file.
if ARGV[3] == '1' then
  local seen = redis.call('GET', KEYS[2])
  if seen then
    local entries = redis.call('XRANGE', KEYS[1], seen, seen)
    if #entries > 0 then return {seen, entries[1][2], 0} end
  end
end
local fields = {'m', ARGV[4]}
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
redis.call('EXPIRE', KEYS[1], ARGV[2])
if ARGV[3] == '1' then redis.call('SET', KEYS[2], id, 'EX', ARGV[2]) end
return {id, fields, 1}
