import { Track, VideoQuality } from "livekit-client";
import { describe, expect, it } from "vitest";
import { cameraResolution, receivedQuality, receives } from "./quality";
import { isQuality } from "./setting";

describe("quality settings", () => {
  it("audio only receives no video of any kind, and audio still", () => {
    expect(receives("audio", Track.Kind.Video)).toBe(false);
    expect(receives("audio", Track.Kind.Audio)).toBe(true);
    expect(receives("saver", Track.Kind.Video)).toBe(true);
  });

  it("data saver receives the lowest layer and sends 320×180", () => {
    expect(receivedQuality("saver")).toBe(VideoQuality.LOW);
    expect(receivedQuality("auto")).toBe(VideoQuality.HIGH);
    expect(cameraResolution("saver")).toMatchObject({ width: 320, height: 180 });
    expect(cameraResolution("auto").height).toBe(720);
  });

  it("accepts only known settings from storage", () => {
    expect(isQuality("saver")).toBe(true);
    expect(isQuality("ultra")).toBe(false);
    expect(isQuality(undefined)).toBe(false);
  });
});
