// Chat state for one meeting: history from the API, live messages from the server over
// LiveKit data, gap filling after reconnects, and optimistic sends with retry.
import { useRoomContext } from "@livekit/components-react";
import { ConnectionState, RoomEvent, type RemoteParticipant } from "livekit-client";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type Message } from "../api";
import type { MeetingKeys } from "../e2ee/keys";
import {
  lastMessageId,
  mergeMessages,
  newClientId,
  opened,
  outgoing,
  parseChatPayload,
  withoutConfirmed,
  type PendingMessage,
} from "./messages";

export const CHAT_TOPIC = "chat";

/** `keys`: an end-to-end encrypted meeting's, with which messages are sealed and opened here. */
export function useChat(roomId: string, session: string, identity: string, keys?: MeetingKeys) {
  const room = useRoomContext();
  const [messages, setMessages] = useState<Message[]>([]);
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const [unavailable, setUnavailable] = useState(false);
  /** Set once the history has been read the first time. */
  const [loaded, setLoaded] = useState(false);
  const latest = useRef<Message[]>([]);

  const receive = useCallback(
    async (incoming: Message[]) => {
      const readable = await opened(incoming, keys);
      latest.current = mergeMessages(latest.current, readable);
      setMessages(latest.current);
      setPending((p) => withoutConfirmed(p, readable));
    },
    [keys],
  );

  /** Loads everything after the newest message we have (all of it the first time). */
  const catchUp = useCallback(async () => {
    try {
      let after = lastMessageId(latest.current);
      for (;;) {
        const page = await api.listMessages(roomId, session, after);
        await receive(page.messages);
        if (!page.next_cursor) break;
        after = page.next_cursor;
      }
      setUnavailable(false);
      setLoaded(true);
    } catch {
      setUnavailable(true);
    }
  }, [roomId, session, receive]);

  useEffect(() => {
    // Only the server sends chat: data from a participant on this topic is ignored.
    const onData = (payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string) => {
      if (topic !== CHAT_TOPIC || participant) return;
      const message = parseChatPayload(payload);
      if (message) void receive([message]);
    };
    const onReconnected = () => void catchUp();
    room.on(RoomEvent.DataReceived, onData);
    room.on(RoomEvent.Reconnected, onReconnected);
    room.on(RoomEvent.Connected, onReconnected);
    // Mounted into an already connected room: load history now rather than on "Connected".
    if (room.state === ConnectionState.Connected) queueMicrotask(onReconnected);
    return () => {
      room.off(RoomEvent.DataReceived, onData);
      room.off(RoomEvent.Reconnected, onReconnected);
      room.off(RoomEvent.Connected, onReconnected);
    };
  }, [room, receive, catchUp]);

  const deliver = useCallback(
    async (message: PendingMessage) => {
      setPending((p) => p.map((m) => (m.clientId === message.clientId ? { ...m, failed: false } : m)));
      try {
        const said = await outgoing(message.text, keys, identity);
        const { message: stored } = await api.sendMessage(roomId, session, said, message.clientId);
        await receive([stored]);
      } catch {
        setPending((p) => p.map((m) => (m.clientId === message.clientId ? { ...m, failed: true } : m)));
      }
    },
    [roomId, session, receive, keys, identity],
  );

  const send = useCallback(
    (text: string) => {
      const message = { clientId: newClientId(), text, failed: false };
      setPending((p) => [...p, message]);
      void deliver(message);
    },
    [deliver],
  );

  return { messages, pending, unavailable, loaded, send, retry: deliver };
}
