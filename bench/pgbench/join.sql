-- The statements one join runs (functions/common/src/store/postgres/mod.rs: lock_room,
-- slots_taken, the participant INSERT), in one transaction, into a random room of the
-- ones setup.sql made. `make bench` runs it with pgbench as the raw rate a join can reach.
\set r random(1, :rooms)
BEGIN;
SELECT * FROM rooms WHERE id = 'pgb-' || translate(lpad(:r::text, 4, '0'), '0123456789', 'abcdefghij') || '-zzz' FOR UPDATE;
SELECT count(*) FROM participants
 WHERE room_id = 'pgb-' || translate(lpad(:r::text, 4, '0'), '0123456789', 'abcdefghij') || '-zzz'
   AND (status = 'connected' OR (status = 'admitted' AND admitted_at > now() - make_interval(secs => 60)));
INSERT INTO participants (id, room_id, display_name, role, status, session_hash, session_expires_at, admitted_at, device_id)
VALUES (gen_random_uuid(), 'pgb-' || translate(lpad(:r::text, 4, '0'), '0123456789', 'abcdefghij') || '-zzz', 'Bench', 'guest',
        'admitted', sha256(gen_random_uuid()::text::bytea), now() + make_interval(secs => 43200), now(), NULL)
RETURNING *;
COMMIT;
