-- Rooms for join.sql, emptied before every pgbench run so each starts from the same state.
INSERT INTO rooms (id, title, max_participants, host_key_hash)
SELECT 'pgb-' || translate(lpad(n::text, 4, '0'), '0123456789', 'abcdefghij') || '-zzz', 'pgbench', 100, sha256(n::text::bytea)
  FROM generate_series(1, 2000) AS n
ON CONFLICT (id) DO NOTHING;
DELETE FROM participants WHERE room_id LIKE 'pgb-%';
