import { describe, expect, it } from "vitest";
import { shortcutFor } from "./shortcuts";

const press = (key: string, more: Partial<Parameters<typeof shortcutFor>[0]> = {}) =>
  shortcutFor({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, target: null, ...more });

describe("shortcutFor", () => {
  it("maps the meeting's keys", () => {
    expect([press("m"), press("v"), press("r"), press("c"), press("?", { shiftKey: true })]).toEqual([
      "microphone",
      "camera",
      "hand",
      "chat",
      "help",
    ]);
    expect(press("L", { shiftKey: true })).toBe("leave");
  });

  it("leaves browser shortcuts and plain letters alone", () => {
    expect(press("l")).toBeUndefined();
    expect(press("c", { ctrlKey: true })).toBeUndefined();
    expect(press("m", { metaKey: true })).toBeUndefined();
    expect(press("v", { altKey: true })).toBeUndefined();
    expect(press("x")).toBeUndefined();
    expect(press("M", { shiftKey: true })).toBeUndefined();
  });
});
