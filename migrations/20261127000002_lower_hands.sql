-- A host lowering raised hands is a logged action too.
ALTER TABLE moderation_actions DROP CONSTRAINT moderation_actions_action_check;
ALTER TABLE moderation_actions ADD CONSTRAINT moderation_actions_action_check
    CHECK (action IN ('admit', 'deny', 'kick', 'ban', 'promote', 'mute', 'update_room', 'end', 'lower_hands'));
