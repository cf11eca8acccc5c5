import { describe, expect, it } from "vitest";
import { Roster, parseRoster } from "./roster";

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("parseRoster", () => {
  it("reads the server's update", () => {
    expect(parseRoster(bytes({ identities: ["a", "b"], version: 7 }), false)).toEqual({ identities: ["a", "b"], version: 7 });
  });

  it("ignores anything a participant sends, and malformed updates", () => {
    expect(parseRoster(bytes({ identities: ["a"], version: 7 }), true)).toBeUndefined();
    expect(parseRoster(bytes({ identities: "a", version: 7 }), false)).toBeUndefined();
    expect(parseRoster(bytes({ identities: [1], version: 7 }), false)).toBeUndefined();
    expect(parseRoster(bytes({ identities: [] }), false)).toBeUndefined();
    expect(parseRoster(bytes(null), false)).toBeUndefined();
    expect(parseRoster(new TextEncoder().encode("{"), false)).toBeUndefined();
  });
});

describe("Roster", () => {
  it("keeps the newest update, so a late older one cannot let a removed person back", () => {
    const roster = new Roster({ identities: ["host", "guest"], version: 10 });
    expect(roster.apply({ identities: ["host"], version: 20 })).toBe(true);
    expect(roster.apply({ identities: ["host", "guest"], version: 15 })).toBe(false);
    expect(roster.apply({ identities: ["host", "guest"], version: 20 })).toBe(false);
    expect(roster.has("guest")).toBe(false);
    expect(roster.has("host")).toBe(true);
  });

  it("permits everyone on it but oneself, for every track", () => {
    const roster = new Roster({ identities: ["me", "b", "a"], version: 1 });
    expect(roster.permissions("me")).toEqual([
      { participantIdentity: "a", allowAll: true },
      { participantIdentity: "b", allowAll: true },
    ]);
    expect(new Roster({ identities: ["me"], version: 1 }).permissions("me")).toEqual([]);
  });
});
