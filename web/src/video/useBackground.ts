// Keeps a camera track's background effect in line with the choice (video/background.ts,
// loaded the first time an effect is chosen). Reports whether the effect could not run.
import type { LocalVideoTrack } from "livekit-client";
import { useEffect, useState } from "react";
import type { Background } from "./setting";

export function useBackground(track: LocalVideoTrack | undefined, choice: Background): boolean {
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!track || (choice === "none" && !track.getProcessor())) return;
    let current = true;
    import("./background")
      .then(({ applyBackground }) => applyBackground(track, choice))
      .then(
        () => current && setFailed(false),
        (error) => {
          console.warn("background effect unavailable", error);
          if (current) setFailed(true);
        },
      );
    return () => {
      current = false;
    };
  }, [track, choice]);
  return failed;
}
