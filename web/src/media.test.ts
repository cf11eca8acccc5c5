import { describe, expect, it } from "vitest";
import { levelFromSamples, mediaErrorKey } from "./media";

describe("mediaErrorKey", () => {
  it("tells a refused permission from a missing device", () => {
    expect(mediaErrorKey(new DOMException("no", "NotAllowedError"))).toBe("permissionDenied");
    expect(mediaErrorKey(new DOMException("none", "NotFoundError"))).toBe("deviceMissing");
    expect(mediaErrorKey(new Error("other"))).toBe("deviceError");
    expect(mediaErrorKey(null)).toBe("deviceError");
  });
});

describe("levelFromSamples", () => {
  it("is zero for silence and grows with loudness, capped at one", () => {
    expect(levelFromSamples(new Uint8Array(64).fill(128))).toBe(0);
    const quiet = levelFromSamples(Uint8Array.from({ length: 64 }, (_, i) => (i % 2 ? 133 : 123)));
    const loud = levelFromSamples(Uint8Array.from({ length: 64 }, (_, i) => (i % 2 ? 255 : 0)));
    expect(quiet).toBeGreaterThan(0);
    expect(loud).toBeGreaterThan(quiet);
    expect(loud).toBeLessThanOrEqual(1);
    expect(levelFromSamples(new Uint8Array())).toBe(0);
  });
});
