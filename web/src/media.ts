// Pure helpers for local media: device errors people understand, and the microphone meter.
import type { MessageKey } from "./i18n";

/** Which message explains a getUserMedia failure. */
export function mediaErrorKey(error: unknown): MessageKey {
  const name = (error as { name?: string } | null)?.name ?? "";
  if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") return "permissionDenied";
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") return "deviceMissing";
  return "deviceError";
}

/** Loudness 0..1 from analyser time-domain bytes (128 is silence), scaled so speech fills the meter. */
export function levelFromSamples(samples: Uint8Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) {
    const centred = (sample - 128) / 128;
    sum += centred * centred;
  }
  return Math.min(1, Math.sqrt(sum / samples.length) * 4);
}
