-- An end-to-end encrypted meeting: chosen at creation, never changed. The key is not here: it
-- lives only in the invitation link's fragment, which browsers do not send.
ALTER TABLE rooms ADD COLUMN e2ee BOOLEAN NOT NULL DEFAULT false;
