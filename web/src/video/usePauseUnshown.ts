// Video nobody sees is not sent. Adaptive stream pauses a remote camera at the server once its
// tile leaves the screen. A track whose tile was never shown (subscribed while its tile is on
// another page of the grid) is paused only if LiveKit's "stream active" message reaches the
// client after the track does; when it came first, the track kept arriving at full rate: in
// one of three runs of web/e2e/large.test.mjs without this, 12 cameras off the page did for
// over 30 s (none in four runs with it).
// Attaching such a track to an element that is never shown and detaching it again makes the
// client tell the server that it is hidden; its tile attaches it again when shown.
import { RemoteVideoTrack, RoomEvent, type RemoteTrack, type Room } from "livekit-client";
import { useEffect } from "react";

/** Time a subscribed track's tile has to render before the track counts as not shown. */
const SHOWN_WITHIN_MS = 1000;

export function usePauseUnshown(room: Room) {
  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const onSubscribed = (track: RemoteTrack) => {
      if (!(track instanceof RemoteVideoTrack) || !track.isAdaptiveStream) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        // Not shown, and still subscribed (an ended track has nothing to pause).
        if (track.attachedElements.length === 0 && track.mediaStreamTrack.readyState === "live") {
          track.detach(track.attach(document.createElement("video")));
        }
      }, SHOWN_WITHIN_MS);
      timers.add(timer);
    };
    room.on(RoomEvent.TrackSubscribed, onSubscribed);
    return () => {
      room.off(RoomEvent.TrackSubscribed, onSubscribed);
      timers.forEach(clearTimeout);
    };
  }, [room]);
}
