// The reactions on screen in this meeting, from the `reaction` data topic; each goes away by itself.
import { RoomEvent, type RemoteParticipant, type Room } from "livekit-client";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type Emoji } from "../api";
import { REACTION_TOPIC, SHOWN_MS, parseReaction, showing, withoutShown, type Shown } from "./reactions";

export interface Reactions {
  shown: Shown[];
  send: (emoji: Emoji) => Promise<void>;
}

export function useReactions(room: Room, roomId: string, session: string): Reactions {
  const [shown, setShown] = useState<Shown[]>([]);
  const counter = useRef(0);

  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const onData = (payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string) => {
      if (topic !== REACTION_TOPIC) return;
      const reaction = parseReaction(payload, participant !== undefined);
      if (!reaction) return;
      counter.current += 1;
      const key = counter.current;
      // The time is taken here, not in the updater: React may run the updater later, and a
      // reaction timed from then could outlive the timer meant to take it off screen.
      const now = Date.now();
      setShown((current) => showing(current, reaction, key, now));
      const timer = setTimeout(() => {
        timers.delete(timer);
        setShown((current) => withoutShown(current, key));
      }, SHOWN_MS);
      timers.add(timer);
    };
    room.on(RoomEvent.DataReceived, onData);
    return () => {
      room.off(RoomEvent.DataReceived, onData);
      timers.forEach(clearTimeout);
    };
  }, [room]);

  const send = useCallback(
    async (emoji: Emoji) => {
      await api.react(roomId, session, emoji);
    },
    [roomId, session],
  );
  return { shown, send };
}
