// Who may receive this meeting's media. The server sends the roster (with every token and
// on the `roster` data topic whenever it changes); this browser lets exactly those identities
// subscribe to its tracks, and subscribes only to theirs. A removed person's reconnection,
// with any token they ever held, therefore gets no track from us.
import type { ParticipantTrackPermission } from "livekit-client";

export const ROSTER_TOPIC = "roster";

export interface RosterUpdate {
  identities: string[];
  /** The server's clock when the roster was read; a higher version is newer. */
  version: number;
}

/** Reads a roster update from LiveKit data; only the server's own (no sender) count. */
export function parseRoster(payload: Uint8Array, sentByParticipant: boolean): RosterUpdate | undefined {
  if (sentByParticipant) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (typeof value !== "object" || value === null) return undefined;
    const { identities, version } = value as Record<string, unknown>;
    if (!Array.isArray(identities) || !identities.every((i) => typeof i === "string")) return undefined;
    if (typeof version !== "number" || !Number.isFinite(version)) return undefined;
    return { identities, version };
  } catch {
    return undefined;
  }
}

export class Roster {
  private identities: Set<string>;
  private version: number;

  constructor(initial: RosterUpdate) {
    this.identities = new Set(initial.identities);
    this.version = initial.version;
  }

  /** Takes an update only if it is newer than what we hold; says whether it did. */
  apply(update: RosterUpdate): boolean {
    if (update.version <= this.version) return false;
    this.identities = new Set(update.identities);
    this.version = update.version;
    return true;
  }

  has(identity: string): boolean {
    return this.identities.has(identity);
  }

  list(): string[] {
    return [...this.identities].sort();
  }

  /** LiveKit subscription permissions: all our tracks to everyone on the roster but us. */
  permissions(self: string): ParticipantTrackPermission[] {
    return this.list()
      .filter((identity) => identity !== self)
      .map((identity) => ({ participantIdentity: identity, allowAll: true }));
  }
}
