// Raised hands as the server keeps them: first raised first. The list arrives with every change
// on the `hands` data topic and from the API; like the roster, the one with the highest version
// wins, so an update read earlier but delivered later cannot bring a lowered hand back.
import type { HandList } from "../api";

export const HANDS_TOPIC = "hands";

/** Reads a hands update from LiveKit data; only the server's own (no sender) count. */
export function parseHands(payload: Uint8Array, sentByParticipant: boolean): HandList | undefined {
  if (sentByParticipant) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (typeof value !== "object" || value === null) return undefined;
    const { hands, version } = value as Record<string, unknown>;
    if (typeof version !== "number" || !Number.isFinite(version) || !Array.isArray(hands)) return undefined;
    const valid = hands.every(
      (h) => typeof h === "object" && h !== null && typeof h.participant_id === "string" && typeof h.raised_at === "string",
    );
    return valid ? { hands, version } : undefined;
  } catch {
    return undefined;
  }
}

/** The newer of two lists. */
export function newer(current: HandList | undefined, next: HandList): HandList {
  return current && current.version >= next.version ? current : next;
}

/** Each raised hand's place in the queue, from 1, by participant id. */
export function queuePlaces(list: HandList | undefined): Map<string, number> {
  return new Map((list?.hands ?? []).map((hand, index) => [hand.participant_id, index + 1]));
}
