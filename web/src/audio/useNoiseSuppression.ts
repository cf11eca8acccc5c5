// Keeps the published microphone going through noise suppression while it is switched on
// (audio/noiseSuppression.ts, loaded the first time it is needed). On: RNNoise alone (the
// browser's own suppression under it would only blur the voice). Off: no suppression at all,
// so a person who turns it off gets their microphone as it is (echo cancellation stays).
// Where RNNoise cannot run, or cannot run yet, the browser's own suppression stands in.
import { RoomEvent, Track, type LocalTrackPublication, type Room } from "livekit-client";
import { useEffect, useState } from "react";

/** What suppresses noise on the microphone now. */
export type Suppression = "rnnoise" | "browser" | "off";

let context: AudioContext | undefined;
const wanted = new WeakMap<Room, boolean>();
const pending = new WeakMap<Room, Promise<Suppression>>();

/** Applies the latest setting once the change before it is done (never two at once). */
function settle(room: Room, enabled: boolean): Promise<Suppression> {
  wanted.set(room, enabled);
  const next = (pending.get(room) ?? Promise.resolve("off"))
    .catch(() => undefined)
    .then(() => apply(room));
  pending.set(room, next);
  return next;
}

async function apply(room: Room): Promise<Suppression> {
  const track = room.localParticipant.getTrackPublication(Track.Source.Microphone)?.audioTrack;
  if (!track) return "off";
  const running = track.getProcessor() !== undefined;
  if (!wanted.get(room)) {
    if (running) await track.stopProcessor();
    await browserSuppression(room, false);
    return "off";
  }
  if (running) return "rnnoise";
  try {
    const { NoiseSuppressor, SAMPLE_RATE } = await import("./noiseSuppression");
    context ??= new AudioContext({ sampleRate: SAMPLE_RATE });
    // A page that rejoined by itself after a reload has had no click yet, and the browser keeps
    // its audio asleep until one: the browser's suppression serves until the first gesture.
    await Promise.race([context.resume(), new Promise((resolve) => setTimeout(resolve, 300))]);
    if (context.state !== "running") {
      resumeAfterGesture();
      await browserSuppression(room, true);
      return "browser";
    }
    await browserSuppression(room, false);
    track.setAudioContext(context);
    await track.setProcessor(new NoiseSuppressor(context));
    return "rnnoise";
  } catch (error) {
    console.warn("RNNoise unavailable; the browser's own noise suppression is used", error);
    await browserSuppression(room, true);
    return "browser";
  }
}

/** Switches the browser's built-in suppression, restarting the microphone if it changes. */
async function browserSuppression(room: Room, on: boolean): Promise<void> {
  room.options.audioCaptureDefaults = { ...room.options.audioCaptureDefaults, noiseSuppression: on };
  const track = room.localParticipant.getTrackPublication(Track.Source.Microphone)?.audioTrack;
  if (track && track.mediaStreamTrack.getSettings().noiseSuppression !== on) await track.restartTrack(room.options.audioCaptureDefaults);
}

/** Fired on `window` once audio can run after a gesture: every user of it applies again. */
const AUDIO_READY = "meet:audio-ready";
let waitingForGesture = false;

function resumeAfterGesture(): void {
  if (waitingForGesture) return;
  waitingForGesture = true;
  const once = () => {
    waitingForGesture = false;
    for (const kind of ["pointerdown", "keydown"]) document.removeEventListener(kind, once, true);
    void context?.resume().then(() => window.dispatchEvent(new Event(AUDIO_READY)));
  };
  for (const kind of ["pointerdown", "keydown"]) document.addEventListener(kind, once, true);
}

/** Follows the setting, and says what suppresses noise now. */
export function useNoiseSuppression(room: Room, enabled: boolean): Suppression | undefined {
  const [suppression, setSuppression] = useState<Suppression>();
  useEffect(() => {
    let current = true;
    const run = () =>
      void settle(room, enabled).then(
        (now) => current && setSuppression(now),
        (error) => console.warn("noise suppression", error),
      );
    const onPublished = (publication: LocalTrackPublication) => {
      if (publication.source === Track.Source.Microphone) run();
    };
    room.on(RoomEvent.LocalTrackPublished, onPublished);
    window.addEventListener(AUDIO_READY, run);
    run();
    return () => {
      current = false;
      room.off(RoomEvent.LocalTrackPublished, onPublished);
      window.removeEventListener(AUDIO_READY, run);
    };
  }, [room, enabled]);
  return suppression;
}
