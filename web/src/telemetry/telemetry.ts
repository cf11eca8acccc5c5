// What this browser tells operators about its calls (POST /api/telemetry): how joins ended,
// how long the first remote picture took, where connections failed, reconnects and device
// errors. Each event comes from a fixed set and names nobody: no room, no name, no device.
// Events are sent in small batches, and whatever is left when the page goes away is sent then.
import { MediaDeviceFailure, type ConnectionError } from "livekit-client";
import { api, type TelemetryEvent } from "../api";

/** The API takes at most this many events at once. */
const BATCH = 20;
const SEND_AFTER_MS = 2000;

export type Stage = Extract<TelemetryEvent, { type: "connection_failure" }>["stage"];
type DeviceError = Extract<TelemetryEvent, { type: "device_error" }>;

const queued: TelemetryEvent[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
/** When this page's current attempt to enter a call started (performance.now()). */
let joinStartedAt: number | undefined;

export function report(event: TelemetryEvent) {
  queued.push(event);
  if (queued.length >= BATCH) send();
  else timer ??= setTimeout(send, SEND_AFTER_MS);
}

/** Sends what is queued; a lost report is not worth a retry or an error shown to anyone. */
export function send(keepalive = false) {
  clearTimeout(timer);
  timer = undefined;
  while (queued.length > 0) {
    const events = queued.splice(0, BATCH);
    void api.reportTelemetry(events, keepalive).catch(() => undefined);
  }
}

if (typeof window !== "undefined") window.addEventListener("pagehide", () => send(true));

/** The person asked to enter (or re-enter) a call: the clock for the first remote frame starts. */
export function joinStarted() {
  joinStartedAt = performance.now();
}

/** A remote video showed its first frame; only the first one after each join counts. */
export function remoteFrameShown() {
  if (joinStartedAt === undefined) return;
  report({ type: "first_remote_frame", ms: Math.min(600_000, Math.round(performance.now() - joinStartedAt)) });
  joinStartedAt = undefined;
}

/** Where a failed connection to the media server broke down, from livekit-client's error. */
export function failedStage(error: ConnectionError): Stage {
  // livekit-client says "could not establish pc connection" when ICE found no path.
  if (/pc connection|peer connection|\bice\b/i.test(error.message)) return "ice";
  if (/publication|publish/i.test(error.message)) return "publish";
  return "signalling";
}

/** A device LiveKit could not open, in the API's words. */
export function deviceError(failure: MediaDeviceFailure | undefined, device: DeviceError["device"]): DeviceError {
  const reason =
    failure === MediaDeviceFailure.PermissionDenied
      ? "denied"
      : failure === MediaDeviceFailure.NotFound
        ? "not_found"
        : failure === MediaDeviceFailure.DeviceInUse
          ? "in_use"
          : "other";
  return { type: "device_error", device, reason };
}

/** The device a LiveKit media kind names. */
export function deviceOfKind(kind: MediaDeviceKind | undefined): DeviceError["device"] {
  return kind === "audioinput" ? "microphone" : "camera";
}
