// Whose media this browser cannot decrypt: someone whose link carried another key. LiveKit drops
// their frames before the decoder, so their tile would stay black without a word; it reports the
// failure a few times a minute at most, so the state is held until that person leaves.
import { RoomEvent, type Participant, type Room } from "livekit-client";
import { useEffect, useState } from "react";

/** LiveKit's worker names the reason first: `InvalidKey: …` or `MissingKey: …`. */
const KEY_FAILURE = /^(InvalidKey|MissingKey)\b/;

export function useUndecryptable(room: Room): ReadonlySet<string> {
  const [identities, setIdentities] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const onError = (error: Error, participant?: Participant) => {
      if (!participant || participant.isLocal || !KEY_FAILURE.test(error.message)) return;
      setIdentities((known) => (known.has(participant.identity) ? known : new Set(known).add(participant.identity)));
    };
    const onLeft = (participant: Participant) =>
      setIdentities((known) => {
        if (!known.has(participant.identity)) return known;
        const left = new Set(known);
        left.delete(participant.identity);
        return left;
      });
    room.on(RoomEvent.EncryptionError, onError);
    room.on(RoomEvent.ParticipantDisconnected, onLeft);
    return () => {
      room.off(RoomEvent.EncryptionError, onError);
      room.off(RoomEvent.ParticipantDisconnected, onLeft);
    };
  }, [room]);
  return identities;
}
