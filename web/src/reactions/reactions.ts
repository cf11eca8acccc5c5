// Reactions: the fixed set people can send, and the ones on screen now. Each shows over its
// sender's tile for a few seconds; the server fans them out on the `reaction` data topic.
import type { Emoji, Reaction } from "../api";

export const REACTION_TOPIC = "reaction";

/** The set the server accepts, in the order the picker shows them. */
export const EMOJI = ["👍", "👏", "😂", "❤️", "🎉", "😮"] as const satisfies readonly Emoji[];

/** How long a reaction stays on screen. */
export const SHOWN_MS = 4000;

/** Reads a reaction from LiveKit data; only the server's own (no sender) count. */
export function parseReaction(payload: Uint8Array, sentByParticipant: boolean): Reaction | undefined {
  if (sentByParticipant) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (typeof value !== "object" || value === null) return undefined;
    const { participant_id, emoji, sent_at } = value as Record<string, unknown>;
    if (typeof participant_id !== "string" || typeof sent_at !== "string") return undefined;
    if (!(EMOJI as readonly unknown[]).includes(emoji)) return undefined;
    return { participant_id, emoji: emoji as Emoji, sent_at };
  } catch {
    return undefined;
  }
}

export interface Shown extends Reaction {
  /** Tells apart two equal reactions from the same person. */
  key: number;
  until: number;
}

/** The reactions still on screen at `now`, with `next` added; the latest per person wins. */
export function showing(current: Shown[], next: Reaction, key: number, now: number): Shown[] {
  const kept = current.filter((shown) => shown.until > now && shown.participant_id !== next.participant_id);
  return [...kept, { ...next, key, until: now + SHOWN_MS }];
}

/** The reactions left once the one shown under `key` has run out; a newer one stays. */
export function withoutShown(current: Shown[], key: number): Shown[] {
  return current.filter((shown) => shown.key !== key);
}
