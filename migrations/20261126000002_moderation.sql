-- Moderation: more participant states, bans that outlive a session, and an audit log.

ALTER TABLE participants DROP CONSTRAINT participants_status_check;
ALTER TABLE participants ADD CONSTRAINT participants_status_check
    CHECK (status IN ('waiting', 'admitted', 'connected', 'left', 'kicked', 'banned', 'denied'));

-- A random id the browser keeps, so a ban can also refuse a new join from the same browser.
ALTER TABLE participants ADD COLUMN device_id text CHECK (char_length(device_id) BETWEEN 1 AND 64);

-- The lobby is read oldest first.
CREATE INDEX participants_waiting ON participants (room_id, joined_at) WHERE status = 'waiting';

CREATE TABLE room_bans (
    room_id        text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    device_id      text NOT NULL,
    participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, device_id)
);

CREATE TABLE moderation_actions (
    id         bigserial PRIMARY KEY,
    room_id    text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    actor_id   uuid NOT NULL REFERENCES participants (id),
    action     text NOT NULL CHECK (action IN ('admit', 'deny', 'kick', 'ban', 'promote', 'mute', 'update_room', 'end')),
    target_id  uuid REFERENCES participants (id),
    detail     jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_actions_by_room ON moderation_actions (room_id, id);

-- Only a participant holding a slot needs the time they took it; a guest turned away
-- or removed from the lobby never had one.
ALTER TABLE participants DROP CONSTRAINT participants_check;
ALTER TABLE participants ADD CONSTRAINT participants_admitted_at_check
    CHECK (status NOT IN ('admitted', 'connected') OR admitted_at IS NOT NULL);
