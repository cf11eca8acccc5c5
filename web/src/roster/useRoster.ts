// Keeps this browser's LiveKit subscriptions in line with the server's roster: our tracks
// go only to identities on it, and we subscribe only to theirs (and, of theirs, only to what
// the quality setting receives, at the layer it receives).
import { ConnectionState, RoomEvent, Track, type RemoteParticipant, type RemoteTrackPublication, type Room } from "livekit-client";
import { useEffect, useRef, useState } from "react";
import { api } from "../api";
import { receivedQuality, receives } from "../quality/quality";
import type { Quality } from "../quality/setting";
import { ROSTER_TOPIC, Roster, parseRoster, type RosterUpdate } from "./roster";

export function useRoster(room: Room, initial: RosterUpdate, identity: string, roomId: string, session: string, quality: Quality): string[] {
  const [members, setMembers] = useState<string[]>(initial.identities);
  const setting = useRef(quality);
  const reapply = useRef<() => void>(undefined);

  useEffect(() => {
    const roster = new Roster(initial);
    // Asking LiveKit again for a track one already receives restarts it from its lowest
    // layer: a new quality setting (`onlyChanges`) leaves those alone.
    const subscribe = (publication: RemoteTrackPublication, participant: RemoteParticipant, onlyChanges = false) => {
      // In an encrypted meeting, a track its sender does not encrypt is not received at all: it
      // would cross the media server in the clear (an old client, or one without the key).
      const safe = !room.isE2EEEnabled || publication.isEncrypted;
      const wanted = roster.has(participant.identity) && receives(setting.current, publication.kind) && safe;
      if (!onlyChanges || publication.isDesired !== wanted) publication.setSubscribed(wanted);
      if (wanted && publication.kind === Track.Kind.Video) publication.setVideoQuality(receivedQuality(setting.current));
    };
    const requality = () => {
      for (const participant of room.remoteParticipants.values()) {
        for (const publication of participant.trackPublications.values()) subscribe(publication, participant, true);
      }
    };
    const enforce = () => {
      // LiveKit lets everyone subscribe until a client says otherwise, and does not resend
      // what was set before connecting: this runs as soon as signalling is up, before any
      // track of ours is published, and again after every reconnection.
      if (room.localParticipant) room.localParticipant.setTrackSubscriptionPermissions(false, roster.permissions(identity));
      for (const participant of room.remoteParticipants.values()) {
        for (const publication of participant.trackPublications.values()) subscribe(publication, participant);
      }
      setMembers(roster.list());
    };
    reapply.current = requality;
    const update = (next: RosterUpdate) => {
      if (roster.apply(next)) enforce();
    };
    const onData = (payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string) => {
      if (topic !== ROSTER_TOPIC) return;
      const next = parseRoster(payload, participant !== undefined);
      if (next) update(next);
    };
    const onPublished = (publication: RemoteTrackPublication, participant: RemoteParticipant) => subscribe(publication, participant);
    // Updates sent while we were away are lost: the token route answers the current roster.
    const onReconnected = () => {
      enforce();
      api.token(roomId, session).then((answer) => update(answer.roster), () => undefined);
    };
    room.on(RoomEvent.SignalConnected, enforce);
    room.on(RoomEvent.Reconnected, onReconnected);
    room.on(RoomEvent.DataReceived, onData);
    room.on(RoomEvent.TrackPublished, onPublished);
    if (room.state !== ConnectionState.Disconnected) enforce();
    return () => {
      room.off(RoomEvent.SignalConnected, enforce);
      room.off(RoomEvent.Reconnected, onReconnected);
      room.off(RoomEvent.DataReceived, onData);
      room.off(RoomEvent.TrackPublished, onPublished);
    };
    // The initial roster is read once: later ones arrive as updates.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [room, identity, roomId, session]);

  useEffect(() => {
    setting.current = quality;
    if (room.state !== ConnectionState.Disconnected) reapply.current?.();
  }, [room, quality]);

  return members;
}
