import { describe, expect, it } from "vitest";
import { ApiError, type Joined, type ParticipantStatus, type RoomToken } from "../api";
import { enterRoom, entryFailure, type EntryDeps } from "./entry";

const TOKEN: RoomToken = {
  token: "jwt",
  livekit_url: "ws://livekit",
  expires_at: "2026-11-27T10:00:00Z",
  roster: { identities: ["p1"], version: 1 },
};

function joined(status: "admitted" | "waiting", role: "host" | "guest" = "guest"): Joined {
  return {
    participant: { id: "p1", identity: "p1", display_name: "Ann", role, owner: false, status },
    session_token: "s1",
    rejoined: false,
  };
}

/** A stand-in server whose lobby answers `statuses` in turn, and a record of every call. */
function world(first: Joined, statuses: ParticipantStatus[] = [], tokenError?: ApiError) {
  const calls: string[] = [];
  const stored = new Map<string, string>();
  const sleeps: number[] = [];
  const deps: EntryDeps = {
    api: {
      join: async (_room, body, session) => {
        calls.push(`join ${body.display_name} ${session ?? "-"}`);
        return first;
      },
      me: async () => {
        const status = statuses.shift() ?? "waiting";
        calls.push(`me ${status}`);
        return { body: { participant: { ...first.participant, joined_at: "", status } }, retryAfterSeconds: 1 };
      },
      token: async () => {
        calls.push("token");
        if (tokenError) throw tokenError;
        return TOKEN;
      },
    },
    remembered: {
      hostKey: () => undefined,
      deviceId: () => "device-1",
      session: (room) => stored.get(`session ${room}`),
      setSession: (room, session) => void stored.set(`session ${room}`, session),
      forgetSession: (room) => void stored.delete(`session ${room}`),
      setInCall: (room, inCall) => void stored.set(`inCall ${room}`, String(inCall)),
    },
    sleep: async (ms) => void sleeps.push(ms),
  };
  return { deps, calls, stored, sleeps };
}

const events = (cancelled = () => false) => {
  let waited = 0;
  return { onWaiting: () => void (waited += 1), cancelled, waited: () => waited };
};

describe("enterRoom", () => {
  it("goes straight into the call when admitted at once, remembering the session", async () => {
    const { deps, calls, stored } = world(joined("admitted", "host"));
    const entered = await enterRoom("abc-defg-hij", "Ann", events(), deps);
    expect(entered).toEqual({ kind: "call", session: "s1", token: TOKEN, identity: "p1", host: true });
    expect(calls).toEqual(["join Ann -", "token"]);
    expect(stored.get("session abc-defg-hij")).toBe("s1");
    expect(stored.get("inCall abc-defg-hij")).toBe("true");
  });

  it("rejoins with the tab's session, so a reload is the same participant", async () => {
    const { deps, calls, stored } = world(joined("admitted"));
    stored.set("session abc-defg-hij", "s0");
    await enterRoom("abc-defg-hij", "Ann", events(), deps);
    expect(calls[0]).toBe("join Ann s0");
  });

  it("waits in the lobby, asking at the pace the server sets, until a host lets them in", async () => {
    const { deps, calls, sleeps } = world(joined("waiting"), ["waiting", "waiting", "admitted"]);
    const seen = events();
    const entered = await enterRoom("abc-defg-hij", "Ann", seen, deps);
    expect(entered.kind).toBe("call");
    expect(seen.waited()).toBe(1);
    expect(calls).toEqual(["join Ann -", "me waiting", "me waiting", "me admitted", "token"]);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it("stops at a host's refusal without asking for a token", async () => {
    const { deps, calls } = world(joined("waiting"), ["waiting", "denied"]);
    expect(await enterRoom("abc-defg-hij", "Ann", events(), deps)).toEqual({ kind: "removed", status: "denied" });
    expect(calls).not.toContain("token");
  });

  it("stops waiting when the page goes away", async () => {
    let gone = false;
    const { deps, calls } = world(joined("waiting"), ["waiting", "admitted"]);
    deps.sleep = async () => void (gone = true);
    expect(await enterRoom("abc-defg-hij", "Ann", events(() => gone), deps)).toEqual({ kind: "cancelled" });
    expect(calls).not.toContain("token");
  });

  it("forgets a session the server refuses for good, so the next attempt joins afresh", async () => {
    const { deps, stored } = world(joined("admitted"), [], new ApiError(403, "kicked", "removed"));
    await expect(enterRoom("abc-defg-hij", "Ann", events(), deps)).rejects.toMatchObject({ code: "kicked" });
    expect(stored.has("session abc-defg-hij")).toBe(false);
  });

  it("keeps the session through a failure that passes (the network)", async () => {
    const { deps, stored } = world(joined("admitted"), [], new ApiError(0, "network_error", "offline"));
    await expect(enterRoom("abc-defg-hij", "Ann", events(), deps)).rejects.toMatchObject({ code: "network_error" });
    expect(stored.get("session abc-defg-hij")).toBe("s1");
  });
});

describe("entryFailure", () => {
  it("offers a retry only where one can help", () => {
    expect(entryFailure(new ApiError(0, "network_error", ""))).toEqual({ message: "networkError", canRetry: true });
    expect(entryFailure(new ApiError(429, "rate_limited", ""))).toEqual({ message: "rateLimited", canRetry: true });
    expect(entryFailure(new ApiError(409, "room_full", ""))).toEqual({ message: "roomFull", canRetry: false });
    expect(entryFailure(new Error("boom"))).toEqual({ message: "genericError", canRetry: false });
  });
});
