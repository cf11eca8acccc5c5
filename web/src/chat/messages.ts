// Pure chat bookkeeping: ordering, de-duplication, optimistic sends, and opening the sealed
// messages of an end-to-end encrypted meeting.
import type { Message, MessageBody } from "../api";
import { open, seal, type MeetingKeys } from "../e2ee/keys";

/** Message ids are `<ms>-<seq>` (a Redis stream id): compare numerically, part by part. */
export function compareMessageIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split("-").map(BigInt);
  const [bMs, bSeq] = b.split("-").map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

/** Adds `incoming` to `known`, each id once, oldest first. Returns `known` itself if nothing is new. */
export function mergeMessages(known: Message[], incoming: Message[]): Message[] {
  const seen = new Set(known.map((m) => m.id));
  const fresh = incoming.filter((m) => !seen.has(m.id) && seen.add(m.id));
  if (fresh.length === 0) return known;
  return [...known, ...fresh].sort((a, b) => compareMessageIds(a.id, b.id));
}

/** The cursor to catch up from after a reconnect or reload. */
export function lastMessageId(messages: Message[]): string | undefined {
  return messages.length ? messages[messages.length - 1].id : undefined;
}

/** A message this browser sent that the server has not confirmed yet. */
export interface PendingMessage {
  clientId: string;
  text: string;
  failed: boolean;
}

/** Pending messages the server has now confirmed (matched by client id) drop out. */
export function withoutConfirmed(pending: PendingMessage[], confirmed: Message[]): PendingMessage[] {
  const ids = new Set(confirmed.map((m) => m.client_id).filter(Boolean));
  const left = pending.filter((p) => !ids.has(p.clientId));
  return left.length === pending.length ? pending : left;
}

/** Parses a LiveKit data payload on the chat topic; anything malformed is ignored. */
export function parseChatPayload(payload: Uint8Array): Message | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(payload));
    const valid =
      typeof value?.id === "string" &&
      /^\d+-\d+$/.test(value.id) &&
      (typeof value.text === "string" || (typeof value.encrypted?.iv === "string" && typeof value.encrypted?.ct === "string")) &&
      typeof value.sender?.display_name === "string" &&
      typeof value.sender?.identity === "string";
    return valid ? (value as Message) : undefined;
  } catch {
    return undefined;
  }
}

/** The longest message the chat takes, in characters (the server's `ChatText`). */
const MAX_CHARS = 2000;
/** What the server refuses in text it can read, and so must be refused here in text it cannot:
 * control characters other than line breaks and tabs, line and paragraph separators, and the
 * bidirectional controls that reorder what others read. */
const FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** More combining marks on one character than any script needs (text that covers its lines). */
const MARK_STACK = /\p{M}{5,}/u;

/** A decrypted message's text if it keeps the chat's rules, which the server can no longer
 * check: someone with the key and a modified client could send anything. */
export function withinChatRules(text: string): string | undefined {
  const clean = text.normalize("NFC").trim();
  const chars = [...clean];
  const bad = chars.length === 0 || chars.length > MAX_CHARS || FORBIDDEN.test(clean.replace(/[\n\t]/g, "")) || MARK_STACK.test(clean);
  return bad ? undefined : clean;
}

/** Messages with their text. In an encrypted meeting a message must be sealed, by the person
 * it says sent it, with the meeting's key, and keep the chat's rules; any other keeps no text
 * (it shows as unreadable), so the server cannot slip in or re-attribute a message. */
export async function opened(messages: Message[], keys: MeetingKeys | undefined): Promise<Message[]> {
  if (!keys) return messages;
  return Promise.all(
    messages.map(async (m) => {
      const text = m.encrypted && (await open(keys, m.encrypted, m.sender.identity));
      return { ...m, text: text ? withinChatRules(text) : undefined };
    }),
  );
}

/** What goes to the server: in an encrypted meeting, the text sealed here and never the text.
 * `sender` is this person's participant id. */
export async function outgoing(text: string, keys: MeetingKeys | undefined, sender: string): Promise<MessageBody> {
  return keys ? { encrypted: await seal(keys, text, sender) } : { text };
}

export function newClientId(): string {
  return crypto.randomUUID();
}
