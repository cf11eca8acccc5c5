// The keys of an end-to-end encrypted meeting. The creator's browser makes one random secret and
// puts it in the invitation link's fragment (`#…`), which browsers never send to a server. Every
// browser with the link derives two keys from it, one for media and one for chat, bound to the
// room, and nothing else ever sees them. This module loads on the start page: no LiveKit here.
import type { Encrypted } from "../api";

const SECRET_BYTES = 32;
/** Unpadded base64url of 32 bytes. */
const SECRET_FRAGMENT = /^[A-Za-z0-9_-]{43}$/;
/** The version is part of every derivation: a new scheme gives new keys, never a mix. */
const MEDIA_INFO = "meet/e2ee/v1/media";
const CHAT_INFO = "meet/e2ee/v1/chat";
const NONCE_BYTES = 12;

const utf8 = new TextEncoder();

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Bytes of unpadded base64url; undefined if `text` is not that. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** A new meeting's secret, as the link's fragment carries it (without the `#`). */
export function newMeetingSecret(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** The secret in a link's fragment (`#…`, with or without the `#`); undefined if there is none or
 * it is not a whole one (a link cut short when it was copied). */
export function secretFromFragment(fragment: string): Uint8Array<ArrayBuffer> | undefined {
  const text = fragment.replace(/^#/, "");
  return SECRET_FRAGMENT.test(text) ? fromBase64Url(text) : undefined;
}

export interface MeetingKeys {
  /** The secret as the link's fragment carries it (`#…`), for the invitation this page copies. */
  fragment: string;
  /** Key material for LiveKit's frame encryption, which derives its own AES key from it. */
  media: ArrayBuffer;
  /** AES-GCM for chat messages. */
  chat: CryptoKey;
  roomId: string;
}

export async function deriveKeys(secret: Uint8Array<ArrayBuffer>, roomId: string): Promise<MeetingKeys> {
  const material = await crypto.subtle.importKey("raw", secret, "HKDF", false, ["deriveBits", "deriveKey"]);
  const hkdf = (info: string) => ({ name: "HKDF", hash: "SHA-256", salt: utf8.encode(roomId), info: utf8.encode(info) });
  const media = await crypto.subtle.deriveBits(hkdf(MEDIA_INFO), material, 256);
  const chat = await crypto.subtle.deriveKey(hkdf(CHAT_INFO), material, { name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
  return { fragment: `#${toBase64Url(secret)}`, media, chat, roomId };
}

/** What a sealed message is bound to: its room and its sender (the participant id the server
 * puts on it), so the server can neither move it into another room nor show it as someone
 * else's. */
const boundTo = (keys: MeetingKeys, sender: string) => utf8.encode(`${keys.roomId}\n${sender}`);

/** Encrypts a chat message from `sender` (this person's participant id) with a fresh nonce. */
export async function seal(keys: MeetingKeys, text: string, sender: string): Promise<Encrypted> {
  const iv = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: boundTo(keys, sender) }, keys.chat, utf8.encode(text));
  return { iv: toBase64Url(iv), ct: toBase64Url(new Uint8Array(ct)) };
}

/** The text of a sealed message said to be from `sender`; undefined if this key cannot open it
 * (another key, another room, another sender, or changed on the way). */
export async function open(keys: MeetingKeys, sealed: Encrypted, sender: string): Promise<string | undefined> {
  const iv = fromBase64Url(sealed.iv);
  const ct = fromBase64Url(sealed.ct);
  if (!iv || !ct) return undefined;
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: boundTo(keys, sender) }, keys.chat, ct);
    return new TextDecoder("utf-8", { fatal: true }).decode(plain);
  } catch {
    return undefined;
  }
}
