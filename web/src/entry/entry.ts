// Entering a room: join through the API, wait in the lobby while a host decides, then get the
// LiveKit token. The room page shows each step; this module decides them, and is tested with
// a stand-in API (entry.test.ts).
import { ApiError, api, isRemoved, type Removed, type RoomToken } from "../api";
import { errorKey, type MessageKey } from "../i18n";
import { remembered } from "../storage";

export type Entered =
  | { kind: "call"; session: string; token: RoomToken; identity: string; host: boolean }
  /** A host turned the person away while they waited. */
  | { kind: "removed"; status: Removed }
  /** The page went away while waiting. */
  | { kind: "cancelled" };

/** What entering needs from outside: the API, the browser's memory and a clock. */
export interface EntryDeps {
  api: Pick<typeof api, "join" | "me" | "token">;
  remembered: Pick<typeof remembered, "hostKey" | "deviceId" | "session" | "setSession" | "forgetSession" | "setInCall">;
  sleep: (ms: number) => Promise<void>;
}

const browser: EntryDeps = {
  api,
  remembered,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface EntryEvents {
  /** Called once, when the server puts the person in the lobby. */
  onWaiting: () => void;
  /** Checked between polls: true once the page is gone. */
  cancelled: () => boolean;
}

/**
 * Joins (with this tab's session, if it has one, so a reload is the same participant),
 * waits in the lobby, and gets the token. A session the server refuses for good is
 * forgotten before the error is thrown, so the next attempt joins afresh.
 */
export async function enterRoom(
  roomId: string,
  displayName: string,
  events: EntryEvents,
  deps: EntryDeps = browser,
): Promise<Entered> {
  const { api, remembered } = deps;
  try {
    const joined = await api.join(
      roomId,
      { display_name: displayName, host_key: remembered.hostKey(roomId), device_id: remembered.deviceId() },
      remembered.session(roomId),
    );
    const session = joined.session_token;
    remembered.setSession(roomId, session);
    if (joined.participant.status === "waiting") {
      events.onWaiting();
      // Ask again as often as the server says (about once a second) until a host decides.
      for (;;) {
        const { body, retryAfterSeconds } = await api.me(roomId, session);
        const status = body.participant.status;
        if (isRemoved(status)) return { kind: "removed", status };
        if (events.cancelled()) return { kind: "cancelled" };
        if (status !== "waiting") break;
        await deps.sleep((retryAfterSeconds ?? 1) * 1000);
      }
    }
    const token = await api.token(roomId, session);
    remembered.setInCall(roomId, true);
    const { identity, role } = joined.participant;
    return { kind: "call", session, token, identity, host: role === "host" };
  } catch (error) {
    if (error instanceof ApiError && (error.code === "unauthorized" || isRemoved(error.code))) remembered.forgetSession(roomId);
    throw error;
  }
}

/** What to tell the person when entering failed, and whether trying again can help. */
export function entryFailure(error: unknown): { message: MessageKey; canRetry: boolean } {
  const code = error instanceof ApiError ? error.code : "genericError";
  return { message: errorKey(code), canRetry: code === "network_error" || code === "rate_limited" };
}
