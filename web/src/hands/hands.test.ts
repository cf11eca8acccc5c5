import { describe, expect, it } from "vitest";
import { newer, parseHands, queuePlaces } from "./hands";

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const hand = (id: string) => ({ participant_id: id, raised_at: "2026-11-27T10:00:00Z" });

describe("parseHands", () => {
  it("reads the server's list and nothing a participant sent", () => {
    const list = { hands: [hand("a")], version: 7 };
    expect(parseHands(encode(list), false)).toEqual(list);
    expect(parseHands(encode(list), true)).toBeUndefined();
  });

  it("refuses anything else", () => {
    expect(parseHands(encode({ hands: [{ participant_id: 1 }], version: 1 }), false)).toBeUndefined();
    expect(parseHands(encode({ hands: [] }), false)).toBeUndefined();
    expect(parseHands(new TextEncoder().encode("{"), false)).toBeUndefined();
  });
});

describe("newer", () => {
  it("keeps the list read last, whatever order they arrive in", () => {
    const first = { hands: [hand("a"), hand("b")], version: 1 };
    const second = { hands: [hand("b")], version: 2 };
    expect(newer(undefined, first)).toBe(first);
    expect(newer(first, second)).toBe(second);
    expect(newer(second, first)).toBe(second);
  });
});

describe("queuePlaces", () => {
  it("numbers hands in the order they were raised", () => {
    const places = queuePlaces({ hands: [hand("b"), hand("a")], version: 1 });
    expect([places.get("b"), places.get("a"), places.get("c")]).toEqual([1, 2, undefined]);
  });
});
