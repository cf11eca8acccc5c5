-- Rooms and the people in them. The constraints here are the last line of defence:
-- the application validates first, but no race or bug can store a row that breaks them.

CREATE TABLE rooms (
    id               text PRIMARY KEY CHECK (id ~ '^[a-z]{3}-[a-z]{4}-[a-z]{3}$'),
    title            text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 100),
    max_participants integer NOT NULL CHECK (max_participants BETWEEN 2 AND 100),
    waiting_room     boolean NOT NULL DEFAULT false,
    locked           boolean NOT NULL DEFAULT false,
    host_key_hash    bytea NOT NULL CHECK (octet_length(host_key_hash) = 32),
    created_at       timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz
);

CREATE TABLE participants (
    id                 uuid PRIMARY KEY,
    room_id            text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    display_name       text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 64),
    role               text NOT NULL CHECK (role IN ('host', 'guest')),
    status             text NOT NULL CHECK (status IN ('waiting', 'admitted', 'connected', 'left')),
    session_hash       bytea NOT NULL UNIQUE CHECK (octet_length(session_hash) = 32),
    session_expires_at timestamptz NOT NULL,
    joined_at          timestamptz NOT NULL DEFAULT now(),
    -- When the participant last took a slot; with connected_at NULL it starts the connect grace period.
    admitted_at        timestamptz,
    connected_at       timestamptz,
    -- The LiveKit connection last seen for this identity, so a stale "left" event
    -- from a replaced connection (page reload) cannot free the new connection's slot.
    livekit_sid        text,
    left_at            timestamptz,
    CHECK (status = 'waiting' OR admitted_at IS NOT NULL)
);

-- Counting who holds a slot happens on every join.
CREATE INDEX participants_in_room ON participants (room_id) WHERE status IN ('admitted', 'connected');
