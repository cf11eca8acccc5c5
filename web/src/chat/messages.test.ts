import { describe, expect, it } from "vitest";
import type { Message } from "../api";
import { deriveKeys, newMeetingSecret, secretFromFragment } from "../e2ee/keys";
import {
  compareMessageIds,
  lastMessageId,
  mergeMessages,
  opened,
  outgoing,
  parseChatPayload,
  withinChatRules,
  withoutConfirmed,
} from "./messages";

const message = (id: string, text = id, client_id?: string): Message => ({
  id,
  room_id: "abc-defg-hij",
  sender: { identity: "p1", display_name: "Ann" },
  text,
  sent_at: "2026-11-26T00:00:00Z",
  client_id,
});

describe("compareMessageIds", () => {
  it("orders by time, then sequence, numerically", () => {
    expect(compareMessageIds("9-0", "10-0")).toBeLessThan(0);
    expect(compareMessageIds("10-2", "10-10")).toBeLessThan(0);
    expect(compareMessageIds("10-1", "10-1")).toBe(0);
    expect(compareMessageIds("11-0", "10-5")).toBeGreaterThan(0);
  });
});

describe("mergeMessages", () => {
  it("keeps each id once and sorts oldest first", () => {
    const merged = mergeMessages([message("2-0"), message("5-0")], [message("5-0"), message("3-0"), message("3-0")]);
    expect(merged.map((m) => m.id)).toEqual(["2-0", "3-0", "5-0"]);
  });

  it("returns the same array when nothing is new, so React skips a render", () => {
    const known = [message("1-0")];
    expect(mergeMessages(known, [message("1-0")])).toBe(known);
  });

  it("gives the catch-up cursor", () => {
    expect(lastMessageId([])).toBeUndefined();
    expect(lastMessageId(mergeMessages([], [message("7-1"), message("7-0")]))).toBe("7-1");
  });
});

describe("withoutConfirmed", () => {
  it("drops pending messages the server confirmed by client id", () => {
    const pending = [
      { clientId: "a", text: "one", failed: false },
      { clientId: "b", text: "two", failed: true },
    ];
    expect(withoutConfirmed(pending, [message("1-0", "one", "a")])).toEqual([pending[1]]);
    expect(withoutConfirmed(pending, [message("1-0")])).toBe(pending);
  });
});

describe("parseChatPayload", () => {
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

  it("accepts a message as the server sends it", () => {
    expect(parseChatPayload(encode(message("1-0", "hi")))?.text).toBe("hi");
  });

  it("accepts a sealed message, and one with neither text nor a whole seal is malformed", () => {
    const bare: Message = { ...message("1-0"), text: undefined };
    expect(parseChatPayload(encode({ ...bare, encrypted: { iv: "a", ct: "b" } }))?.encrypted?.ct).toBe("b");
    expect(parseChatPayload(encode(bare))).toBeUndefined();
    expect(parseChatPayload(encode({ ...bare, encrypted: { iv: "a" } }))).toBeUndefined();
  });

  it("ignores anything malformed", () => {
    expect(parseChatPayload(new TextEncoder().encode("not json"))).toBeUndefined();
    expect(parseChatPayload(encode({ id: "x", text: "hi" }))).toBeUndefined();
    expect(parseChatPayload(encode({ ...message("1-0"), text: 5 }))).toBeUndefined();
  });
});

describe("an encrypted meeting's chat", () => {
  const keysOf = (fragment: string) => deriveKeys(secretFromFragment(fragment)!, "abc-defg-hij");

  it("sends only sealed text, which the same link opens and another leaves unreadable", async () => {
    const fragment = newMeetingSecret();
    const said = await outgoing("see you at 5", await keysOf(fragment), "p1");
    expect("text" in said).toBe(false);
    expect(JSON.stringify(said)).not.toContain("see you");
    const bare: Message = { ...message("1-0"), text: undefined };
    const sealed = { ...bare, ...said } as Message;
    expect((await opened([sealed], await keysOf(fragment)))[0].text).toBe("see you at 5");
    const other = (await opened([sealed], await keysOf(newMeetingSecret())))[0];
    expect(other.text).toBeUndefined();
    expect(other.encrypted).toBeDefined();
    // The server shows it as another person's, or slips in a message of its own: unreadable.
    const moved = { ...sealed, sender: { identity: "p2", display_name: "Bob" } };
    expect((await opened([moved], await keysOf(fragment)))[0].text).toBeUndefined();
    expect((await opened([message("2-0", "plain, from the server")], await keysOf(fragment)))[0].text).toBeUndefined();
  });

  it("keeps the chat's rules on decrypted text, which the server cannot check", () => {
    expect(withinChatRules("  line one\nline two\ttab ❤️ 👩‍👩‍👧 ")).toBe("line one\nline two\ttab ❤️ 👩‍👩‍👧");
    expect(withinChatRules("x".repeat(2000))).toBe("x".repeat(2000));
    for (const bad of ["", "   ", "x".repeat(2001), "nul\u0000", "safe\u202Etxt.exe", "one\u2028two", "e\u0301\u0301\u0301\u0301\u0301\u0301", "\u2067rtl"]) {
      expect(withinChatRules(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it("sends text as it is in any other meeting", async () => {
    expect(await outgoing("hello", undefined, "p1")).toEqual({ text: "hello" });
    expect(await opened([message("1-0", "hi")], undefined)).toEqual([message("1-0", "hi")]);
  });
});
