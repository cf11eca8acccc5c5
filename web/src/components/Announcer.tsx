// Tells screen-reader users, through a polite live region, what others see happen: who joins
// and leaves, whose hand goes up, and new chat messages from others.
import { RoomEvent, type Participant, type Room } from "livekit-client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Message } from "../api";
import type { Hands } from "../hands/useHands";
import { useI18n, type MessageKey } from "../i18n";

export function Announcer({ room, hands, messages, identity }: { room: Room; hands: Hands; messages: Message[]; identity: string }) {
  const { t } = useI18n();
  const [said, setSaid] = useState("");
  // The current language, without re-subscribing to the room when it changes.
  const translate = useRef(t);
  useEffect(() => {
    translate.current = t;
  });
  const say = useCallback((key: MessageKey, values: Record<string, string>) => {
    const text = Object.entries(values).reduce((text, [name, value]) => text.replace(`{${name}}`, value), translate.current(key));
    setSaid(text);
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

  // What happened before this page opened (history, hands already up) is not news.
  const [opened] = useState(() => Date.now());

  // A hand that went up since this page opened and was not up before.
  const known = useRef(new Set<string>());
  useEffect(() => {
    const up = hands.list?.hands ?? [];
    const raised = up
      .filter((h) => !known.current.has(h.participant_id) && h.participant_id !== identity && Date.parse(h.raised_at) > opened)
      .map((h) => h.participant_id);
    known.current = new Set(up.map((h) => h.participant_id));
    const last = raised.at(-1);
    if (last) {
      const who = room.getParticipantByIdentity(last);
      say("announceHand", { name: who?.name || last });
    }
  }, [hands.list, room, identity, opened, say]);

  // A message from someone else, sent since this page opened.
  const count = useRef(0);
  useEffect(() => {
    const before = count.current;
    count.current = messages.length;
    if (messages.length <= before) return;
    const latest = messages[messages.length - 1];
    if (latest.sender.identity !== identity && Date.parse(latest.sent_at) > opened) {
      say("announceMessage", { name: latest.sender.display_name, text: latest.text });
    }
  }, [messages, identity, opened, say]);

  return (
    <p className="visually-hidden" aria-live="polite" role="status" data-testid="announcer">
      {said}
    </p>
  );
}
