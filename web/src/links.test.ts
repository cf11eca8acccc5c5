import { describe, expect, it } from "vitest";
import { linkFragment, parseRoomLink, roomFromPath } from "./links";

describe("parseRoomLink", () => {
  it("accepts ids and links to rooms", () => {
    expect(parseRoomLink(" abc-defg-hij ")).toBe("abc-defg-hij");
    expect(parseRoomLink("http://localhost:8080/r/abc-defg-hij")).toBe("abc-defg-hij");
    expect(parseRoomLink("https://meet.example/r/abc-defg-hij/?x=1")).toBe("abc-defg-hij");
  });

  it("refuses anything else", () => {
    expect(parseRoomLink("")).toBeUndefined();
    expect(parseRoomLink("abc-defg")).toBeUndefined();
    expect(parseRoomLink("https://evil.example/x?r/abc-defg-hij-k")).toBeUndefined();
  });
});

describe("linkFragment", () => {
  it("keeps an encrypted meeting's key exactly as pasted", () => {
    expect(linkFragment(" https://meet.example/r/abc-defg-hij#Key_Mixed-Case9 ")).toBe("#Key_Mixed-Case9");
    expect(parseRoomLink("https://meet.example/r/ABC-defg-hij#Key")).toBe("abc-defg-hij");
    expect(linkFragment("https://meet.example/r/abc-defg-hij")).toBe("");
    expect(linkFragment("abc-defg-hij")).toBe("");
  });
});

describe("roomFromPath", () => {
  it("reads /r/{id} only", () => {
    expect(roomFromPath("/r/abc-defg-hij")).toBe("abc-defg-hij");
    expect(roomFromPath("/")).toBeUndefined();
    expect(roomFromPath("/r/nope")).toBeUndefined();
  });
});
