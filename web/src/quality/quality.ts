// What a person sends and receives: everything the connection allows (automatic),
// low-resolution video both ways (data saver), or no video at all (audio only).
import { Track, VideoPresets, VideoQuality, type Room } from "livekit-client";
import type { Quality } from "./setting";

/** Whether a track of this kind is received at all (after the roster said who may be). */
export function receives(quality: Quality, kind: Track.Kind): boolean {
  return kind !== Track.Kind.Video || quality !== "audio";
}

/** The highest simulcast layer of others' video to receive. */
export function receivedQuality(quality: Quality): VideoQuality {
  return quality === "saver" ? VideoQuality.LOW : VideoQuality.HIGH;
}

/** The resolution the camera captures and sends at. */
export function cameraResolution(quality: Quality) {
  return (quality === "saver" ? VideoPresets.h180 : VideoPresets.h720).resolution;
}

/** Applies the sending side: the camera's resolution now and for the next time it starts,
 * and no camera at all in audio only (a person may still turn it on: their choice). */
export async function applySending(room: Room, quality: Quality): Promise<void> {
  room.options.videoCaptureDefaults = { ...room.options.videoCaptureDefaults, resolution: cameraResolution(quality) };
  const local = room.localParticipant;
  if (quality === "audio") {
    await local.setCameraEnabled(false);
    return;
  }
  const camera = local.getTrackPublication(Track.Source.Camera)?.videoTrack;
  if (!camera) return;
  // A camera that is off would come back with its old resolution: drop it, so that turning it
  // on starts a new one with the new defaults.
  if (camera.isMuted) await local.unpublishTrack(camera);
  else await camera.restartTrack(room.options.videoCaptureDefaults);
}
