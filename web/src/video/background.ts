// Background blur and a virtual background on the camera, with MediaPipe's selfie segmenter
// (@livekit/track-processors). Everything it loads comes from this app: MediaPipe's
// WebAssembly (copied into /mediapipe by the build) and the model (public/models, made by
// scripts/segmenter-model.py). Loaded only when someone chooses an effect.
import { BackgroundProcessor, type BackgroundProcessorWrapper, type SwitchBackgroundProcessorOptions } from "@livekit/track-processors";
import type { LocalVideoTrack } from "livekit-client";
import type { Background } from "./setting";

const ASSETS = { tasksVisionFileSet: `${location.origin}/mediapipe`, modelAssetPath: "/models/selfie_segmenter.tflite" };
export const BACKGROUND_IMAGE = "/backgrounds/study.svg";
const BLUR_RADIUS = 12;

function mode(choice: Exclude<Background, "none">): SwitchBackgroundProcessorOptions {
  return choice === "blur" ? { mode: "background-blur", blurRadius: BLUR_RADIUS } : { mode: "virtual-background", imagePath: BACKGROUND_IMAGE };
}

/** Changes in flight per track: a new choice waits for the one before it. */
const pending = new WeakMap<LocalVideoTrack, Promise<void>>();

export function applyBackground(track: LocalVideoTrack, choice: Background): Promise<void> {
  const next = (pending.get(track) ?? Promise.resolve()).catch(() => undefined).then(() => apply(track, choice));
  pending.set(track, next);
  return next;
}

async function apply(track: LocalVideoTrack, choice: Background): Promise<void> {
  const current = track.getProcessor() as BackgroundProcessorWrapper | undefined;
  if (choice === "none") {
    if (current) await track.stopProcessor();
    return;
  }
  if (current) return current.switchTo(mode(choice));
  // The GPU delegate needs WebGL2 that MediaPipe accepts; the CPU one runs anywhere.
  let failure: unknown;
  for (const delegate of ["GPU", "CPU"] as const) {
    try {
      await track.setProcessor(BackgroundProcessor({ ...mode(choice), assetPaths: ASSETS, segmenterOptions: { delegate } }));
      return;
    } catch (error) {
      failure = error;
      await track.stopProcessor().catch(() => undefined);
    }
  }
  throw failure;
}
