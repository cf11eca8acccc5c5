import { ConnectionError, MediaDeviceFailure } from "livekit-client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { deviceError, failedStage, joinStarted, remoteFrameShown, report, send } from "./telemetry";

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function recordSends() {
  const sent: unknown[][] = [];
  vi.spyOn(api, "reportTelemetry").mockImplementation((events) => {
    sent.push(events);
    return Promise.resolve({ accepted: events.length });
  });
  return sent;
}

describe("telemetry", () => {
  it("names the stage a join failed at from livekit-client's error", () => {
    expect(failedStage(ConnectionError.internal("could not establish pc connection"))).toBe("ice");
    expect(failedStage(ConnectionError.serverUnreachable("could not establish signal connection"))).toBe("signalling");
    expect(failedStage(ConnectionError.timeout("publication of local track timed out, no response from server"))).toBe("publish");
  });

  it("says which device failed and why, in the API's words", () => {
    expect(deviceError(MediaDeviceFailure.PermissionDenied, "camera")).toEqual({ type: "device_error", device: "camera", reason: "denied" });
    expect(deviceError(MediaDeviceFailure.DeviceInUse, "microphone").reason).toBe("in_use");
    expect(deviceError(undefined, "screen").reason).toBe("other");
  });

  it("sends in batches the API accepts, after a short wait or at once when full", () => {
    vi.useFakeTimers();
    const sent = recordSends();
    report({ type: "join", outcome: "connected" });
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(2500);
    expect(sent).toEqual([[{ type: "join", outcome: "connected" }]]);
    for (let i = 0; i < 45; i++) report({ type: "reconnect", outcome: "recovered" });
    send();
    expect(sent.slice(1).map((batch) => batch.length)).toEqual([20, 20, 5]);
  });

  it("reports the first remote frame once per join", () => {
    const sent = recordSends();
    joinStarted();
    remoteFrameShown();
    remoteFrameShown();
    send();
    expect(sent.flat()).toHaveLength(1);
    expect(sent.flat()[0]).toMatchObject({ type: "first_remote_frame" });
  });
});
