// The meeting's part of telemetry/telemetry.ts: the first remote frame after joining, and
// whether each reconnect recovered the call.
import { RoomEvent, type Room } from "livekit-client";
import { useEffect } from "react";
import { remoteFrameShown, report } from "./telemetry";

export function useCallTelemetry(room: Room) {
  useEffect(() => {
    // `playing` does not bubble: caught on its way down. Tiles mark whose video they show.
    const playing = (event: Event) => {
      const video = event.target;
      if (video instanceof HTMLVideoElement && video.closest('[data-lk-local-participant="false"]')) remoteFrameShown();
    };
    document.addEventListener("playing", playing, true);
    return () => document.removeEventListener("playing", playing, true);
  }, []);

  useEffect(() => {
    let reconnecting = false;
    const started = () => {
      reconnecting = true;
    };
    const ended = (outcome: "recovered" | "lost") => () => {
      if (!reconnecting) return;
      reconnecting = false;
      report({ type: "reconnect", outcome });
    };
    const recovered = ended("recovered");
    const lost = ended("lost");
    room.on(RoomEvent.Reconnecting, started).on(RoomEvent.Reconnected, recovered).on(RoomEvent.Disconnected, lost);
    return () => {
      room.off(RoomEvent.Reconnecting, started).off(RoomEvent.Reconnected, recovered).off(RoomEvent.Disconnected, lost);
    };
  }, [room]);
}
