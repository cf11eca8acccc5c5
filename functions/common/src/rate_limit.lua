-- One hit on a fixed-window rate limit: count, start the window on the first hit, and report
-- the time left when over. KEYS[1] the counter; ARGV: window in ms, hits allowed per window.
-- Returns -1 when allowed, else the milliseconds until the window ends.
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if n <= tonumber(ARGV[2]) then return -1 end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); left = tonumber(ARGV[1]) end
return left
