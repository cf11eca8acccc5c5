"""Raised hands and reactions reach everyone in the room from the server, over LiveKit."""

from stack import connected_count, wait_for
from test_media import connected_pair


async def test_a_raised_hand_and_a_reaction_reach_the_others_from_the_server(api):
    room_id, (ann, _bob), (a, b) = await connected_pair(api)
    try:
        await wait_for(lambda: connected_count(room_id) == 2, "both clients reported connected")
        ann_id = ann["participant"]["id"]

        api.raise_hand(room_id, ann["session_token"])
        sender, hands = await b.next_data("hands")
        assert sender is None, "hands must come from the server, not a participant"
        assert [h["participant_id"] for h in hands["hands"]] == [ann_id]

        api.react(room_id, ann["session_token"], "🎉")
        sender, reaction = await b.next_data("reaction")
        assert sender is None
        assert (reaction["participant_id"], reaction["emoji"]) == (ann_id, "🎉")

        api.lower_hand(room_id, ann["session_token"])
        _sender, hands = await b.next_data("hands")
        assert hands["hands"] == []
    finally:
        await a.disconnect()
        await b.disconnect()
