// Keeps the published microphone going through noise suppression while it is switched on
// (audio/noiseSuppression.ts, loaded the first time it is needed).
import { RoomEvent, Track, type LocalTrackPublication, type Room } from "livekit-client";
import { useEffect } from "react";

let context: AudioContext | undefined;

/** On: RNNoise alone (the browser's own suppression under it would only blur the voice).
 * Off: no suppression at all, so a person who turns it off gets their microphone as it is
 * (echo cancellation stays). Where RNNoise cannot run, the browser's own takes its place. */
async function apply(room: Room, enabled: boolean): Promise<void> {
  const track = room.localParticipant.getTrackPublication(Track.Source.Microphone)?.audioTrack;
  if (!track) return;
  const running = track.getProcessor() !== undefined;
  if (!enabled) {
    if (running) await track.stopProcessor();
    await browserSuppression(room, false);
    return;
  }
  if (running) return;
  try {
    await browserSuppression(room, false);
    const { NoiseSuppressor, SAMPLE_RATE } = await import("./noiseSuppression");
    context ??= new AudioContext({ sampleRate: SAMPLE_RATE });
    track.setAudioContext(context);
    await track.setProcessor(new NoiseSuppressor());
  } catch (error) {
    await browserSuppression(room, true);
    throw error;
  }
}

/** Switches the browser's built-in suppression, restarting the microphone if it changes. */
async function browserSuppression(room: Room, on: boolean): Promise<void> {
  room.options.audioCaptureDefaults = { ...room.options.audioCaptureDefaults, noiseSuppression: on };
  const track = room.localParticipant.getTrackPublication(Track.Source.Microphone)?.audioTrack;
  if (track && track.mediaStreamTrack.getSettings().noiseSuppression !== on) await track.restartTrack(room.options.audioCaptureDefaults);
}

export function useNoiseSuppression(room: Room, enabled: boolean): void {
  useEffect(() => {
    const run = () => void apply(room, enabled).catch((error) => console.warn("noise suppression unavailable", error));
    const onPublished = (publication: LocalTrackPublication) => {
      if (publication.source === Track.Source.Microphone) run();
    };
    room.on(RoomEvent.LocalTrackPublished, onPublished);
    run();
    return () => {
      room.off(RoomEvent.LocalTrackPublished, onPublished);
    };
  }, [room, enabled]);
}
