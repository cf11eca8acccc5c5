// Host tools: the lobby, actions on a participant, and the room-wide controls. The server
// checks the role on every call; these only appear for hosts to keep the page tidy.
import { useRoomContext } from "@livekit/components-react";
import { RoomEvent, type Participant, type RemoteParticipant } from "livekit-client";
import { useCallback, useEffect, useState } from "react";
import { ApiError, api, type HostAction, type MutableSource, type ParticipantView } from "../api";
import { useI18n, type MessageKey } from "../i18n";

export const LOBBY_TOPIC = "lobby";

function failureKey(error: unknown): MessageKey {
  return error instanceof ApiError && error.code === "room_full" ? "roomFullForAdmit" : "actionFailed";
}

/** Whether a participant is a host, from the role the server put in their metadata. */
export function isHost(participant: Participant | undefined): boolean {
  try {
    return JSON.parse(participant?.metadata || "{}").role === "host";
  } catch {
    return false;
  }
}

/** The local participant's role, following promotions as LiveKit reports them. */
export function useIsHost(initial: boolean): boolean {
  const room = useRoomContext();
  const [host, setHost] = useState(initial);
  useEffect(() => {
    // Roles only ever grow (a promotion), so any metadata change is a cue to look again.
    const update = () => setHost((was) => was || isHost(room.localParticipant));
    room.on(RoomEvent.ParticipantMetadataChanged, update);
    room.on(RoomEvent.Connected, update);
    return () => {
      room.off(RoomEvent.ParticipantMetadataChanged, update);
      room.off(RoomEvent.Connected, update);
    };
  }, [room]);
  return host;
}

/** Guests waiting to be let in: loaded once, then kept current by the server over LiveKit data. */
export function useLobby(roomId: string, session: string, enabled: boolean) {
  const room = useRoomContext();
  const [waiting, setWaiting] = useState<ParticipantView[]>([]);
  const reload = useCallback(() => {
    api.lobby(roomId, session).then((answer) => setWaiting(answer.waiting), () => undefined);
  }, [roomId, session]);
  useEffect(() => {
    if (!enabled) return;
    const onData = (payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string) => {
      if (topic !== LOBBY_TOPIC || participant) return;
      try {
        const update = JSON.parse(new TextDecoder().decode(payload));
        if (Array.isArray(update?.waiting)) setWaiting(update.waiting);
      } catch {
        // a malformed update is ignored; the next one or a reload corrects the list
      }
    };
    room.on(RoomEvent.DataReceived, onData);
    room.on(RoomEvent.Reconnected, reload);
    queueMicrotask(reload);
    return () => {
      room.off(RoomEvent.DataReceived, onData);
      room.off(RoomEvent.Reconnected, reload);
    };
  }, [room, enabled, reload]);
  return { waiting, reload };
}

export function LobbyPanel({ roomId, session, waiting, onChange }: { roomId: string; session: string; waiting: ParticipantView[]; onChange: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<MessageKey>();
  async function act(ids: string[], action: HostAction) {
    setError(undefined);
    for (const id of ids) {
      try {
        await api.moderate(roomId, session, id, action);
      } catch (failure) {
        setError(failureKey(failure));
        break;
      }
    }
    onChange();
  }
  return (
    <section className="lobby" aria-label={t("lobby")} data-testid="lobby">
      {error && <p role="alert" className="error">{t(error)}</p>}
      {waiting.length === 0 ? (
        <p className="hint">{t("nobodyWaiting")}</p>
      ) : (
        <>
          <button onClick={() => act(waiting.map((p) => p.id), "admit")}>{t("admitAll")}</button>
          <ul>
            {waiting.map((p) => (
              <li key={p.id} data-testid="waiting-guest" data-name={p.display_name}>
                <span className="name">{p.display_name}</span>
                <button onClick={() => act([p.id], "admit")}>{t("admit")}</button>
                <button className="secondary" onClick={() => act([p.id], "deny")}>
                  {t("deny")}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** What a host can do to one other participant, shown in the participant list. */
export function ParticipantActions({ roomId, session, participant }: { roomId: string; session: string; participant: Participant }) {
  const { t } = useI18n();
  const [error, setError] = useState<MessageKey>();
  const run = (call: () => Promise<unknown>) => {
    setError(undefined);
    call().catch((failure) => setError(failureKey(failure)));
  };
  const target = participant.identity;
  const mute = (source: MutableSource) => run(() => api.mute(roomId, session, target, source));
  const moderate = (action: HostAction) => run(() => api.moderate(roomId, session, target, action));
  const label = (key: MessageKey) => `${t(key)}: ${participant.name ?? target}`;
  return (
    <span className="actions">
      {participant.isMicrophoneEnabled && (
        <button className="secondary" aria-label={label("muteMic")} onClick={() => mute("microphone")} data-action="mute-mic">
          {t("muteMic")}
        </button>
      )}
      {participant.isCameraEnabled && (
        <button className="secondary" aria-label={label("muteCamera")} onClick={() => mute("camera")} data-action="mute-camera">
          {t("muteCamera")}
        </button>
      )}
      {!isHost(participant) && (
        <button className="secondary" aria-label={label("makeHost")} onClick={() => moderate("promote")} data-action="promote">
          {t("makeHost")}
        </button>
      )}
      <button className="danger" aria-label={label("kick")} onClick={() => moderate("kick")} data-action="kick">
        {t("kick")}
      </button>
      <button className="danger" aria-label={label("ban")} onClick={() => moderate("ban")} data-action="ban">
        {t("ban")}
      </button>
      {error && <span role="alert" className="error">{t(error)}</span>}
    </span>
  );
}

/** Room-wide host controls: lock, and end for everyone (with a second click to confirm). */
export function HostControls({ roomId, session, initiallyLocked }: { roomId: string; session: string; initiallyLocked: boolean }) {
  const { t } = useI18n();
  const [locked, setLocked] = useState(initiallyLocked);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<MessageKey>();
  async function toggleLock() {
    try {
      const { room } = await api.updateRoom(roomId, session, { locked: !locked });
      setLocked(room.locked);
    } catch (failure) {
      setError(failureKey(failure));
    }
  }
  async function end() {
    try {
      await api.endRoom(roomId, session);
    } catch (failure) {
      setError(failureKey(failure));
    }
  }
  return (
    <span className="control-group host-controls">
      <button className="secondary" aria-pressed={locked} onClick={toggleLock} data-testid="lock">
        {locked ? t("unlockRoom") : t("lockRoom")}
      </button>
      {confirming ? (
        <button className="danger" onClick={end} data-testid="confirm-end">
          {t("confirmEnd")}
        </button>
      ) : (
        <button className="danger" onClick={() => setConfirming(true)} data-testid="end">
          {t("endMeeting")}
        </button>
      )}
      {error && <span role="alert" className="error">{t(error)}</span>}
    </span>
  );
}
