// The room's raised hands in this browser: read from the API when connected (and again after a
// reconnection, when updates may have been missed), then kept current from the `hands` topic.
import { ConnectionState, RoomEvent, type RemoteParticipant, type Room } from "livekit-client";
import { useCallback, useEffect, useState } from "react";
import { api, type HandList } from "../api";
import { HANDS_TOPIC, newer, parseHands } from "./hands";

export interface Hands {
  list: HandList | undefined;
  /** Whether this person's own hand is up. */
  raised: boolean;
  toggle: () => Promise<void>;
  /** Host only: one participant's hand, or every hand. */
  lower: (participantId?: string) => Promise<void>;
}

export function useHands(room: Room, roomId: string, session: string, identity: string): Hands {
  const [list, setList] = useState<HandList>();
  const update = useCallback((next: HandList) => setList((current) => newer(current, next)), []);

  useEffect(() => {
    const load = () => api.hands(roomId, session).then(update, () => undefined);
    const onData = (payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string) => {
      if (topic !== HANDS_TOPIC) return;
      const next = parseHands(payload, participant !== undefined);
      if (next) update(next);
    };
    room.on(RoomEvent.Connected, load);
    room.on(RoomEvent.Reconnected, load);
    room.on(RoomEvent.DataReceived, onData);
    if (room.state === ConnectionState.Connected) load();
    return () => {
      room.off(RoomEvent.Connected, load);
      room.off(RoomEvent.Reconnected, load);
      room.off(RoomEvent.DataReceived, onData);
    };
  }, [room, roomId, session, update]);

  const raised = list?.hands.some((hand) => hand.participant_id === identity) ?? false;
  const toggle = useCallback(
    async () => update(await (raised ? api.lowerHand(roomId, session) : api.raiseHand(roomId, session))),
    [raised, roomId, session, update],
  );
  const lower = useCallback(
    async (participantId?: string) => update(await api.lowerHands(roomId, session, participantId)),
    [roomId, session, update],
  );
  return { list, raised, toggle, lower };
}
