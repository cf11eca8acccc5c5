// Tells screen-reader users, through a polite live region, what others see happen: who joins
// and leaves, whose hand goes up, and new chat messages from others. What was already so when
// the page opened (history, hands already up) is not news.
import { RoomEvent, type Participant, type Room } from "livekit-client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Message } from "../api";
import type { Hands } from "../hands/useHands";
import { useI18n, type MessageKey } from "../i18n";

/** How many recent announcements stay in the region; each new one is a new node, so a repeat is read too. */
const KEPT = 5;

/** `template` with each `{name}` replaced by its value, in one pass (values are never read as templates). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

interface Props {
  room: Room;
  hands: Hands;
  messages: Message[];
  /** Whether the chat history has been read (what it held is not news). */
  historyLoaded: boolean;
  identity: string;
}

export function Announcer({ room, hands, messages, historyLoaded, identity }: Props) {
  const { t } = useI18n();
  const [said, setSaid] = useState<{ id: number; text: string }[]>([]);
  const counter = useRef(0);
  // The current language, without re-subscribing to the room when it changes.
  const translate = useRef(t);
  useEffect(() => {
    translate.current = t;
  });
  const say = useCallback((key: MessageKey, values: Record<string, string>) => {
    counter.current += 1;
    const next = { id: counter.current, text: fill(translate.current(key), values) };
    setSaid((current) => [...current.slice(1 - KEPT), next]);
  }, []);

  useEffect(() => {
    const name = (p: Participant) => p.name || p.identity;
    const joined = (p: Participant) => say("announceJoined", { name: name(p) });
    const left = (p: Participant) => say("announceLeft", { name: name(p) });
    room.on(RoomEvent.ParticipantConnected, joined);
    room.on(RoomEvent.ParticipantDisconnected, left);
    return () => {
      room.off(RoomEvent.ParticipantConnected, joined);
      room.off(RoomEvent.ParticipantDisconnected, left);
    };
  }, [room, say]);

  // The first list this page sees is the baseline; after it, every hand not up before is news.
  const known = useRef<Set<string>>(undefined);
  useEffect(() => {
    if (!hands.list) return;
    const up = hands.list.hands.map((h) => h.participant_id);
    const before = known.current;
    known.current = new Set(up);
    if (!before) return;
    for (const id of up.filter((id) => !before.has(id) && id !== identity)) {
      say("announceHand", { name: room.getParticipantByIdentity(id)?.name || id });
    }
  }, [hands.list, room, identity, say]);

  // Likewise the history; messages from others that arrive after it are news.
  const seen = useRef<Set<string>>(undefined);
  useEffect(() => {
    if (!historyLoaded) return;
    const before = seen.current;
    seen.current = new Set(messages.map((m) => m.id));
    if (!before) return;
    for (const message of messages.filter((m) => !before.has(m.id) && m.sender.identity !== identity)) {
      say("announceMessage", { name: message.sender.display_name, text: message.text ?? t("e2eeUnreadable") });
    }
  }, [messages, historyLoaded, identity, say, t]);

  return (
    <div className="visually-hidden" aria-live="polite" role="status" data-testid="announcer">
      {said.map((s) => (
        <p key={s.id}>{s.text}</p>
      ))}
    </div>
  );
}
