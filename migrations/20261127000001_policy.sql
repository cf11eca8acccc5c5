-- One policy for both stores: the room's owner, sessions that end on leave, and webhook
-- deliveries seen once.

-- Whoever joined with the room's host key owns the meeting; a promoted host does not.
ALTER TABLE participants ADD COLUMN owner boolean NOT NULL DEFAULT false;
UPDATE participants SET owner = true
 WHERE role = 'host'
   AND id NOT IN (SELECT target_id FROM moderation_actions WHERE action = 'promote' AND target_id IS NOT NULL);
ALTER TABLE participants ADD CONSTRAINT participants_owner_is_host CHECK (NOT owner OR role = 'host');

-- LiveKit retries a delivery it thinks failed; each event id is acted on once.
CREATE TABLE webhook_deliveries (
    event_id    text PRIMARY KEY CHECK (char_length(event_id) BETWEEN 1 AND 128),
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_by_age ON webhook_deliveries (received_at);
