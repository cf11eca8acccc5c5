// A room link: check the room, pre-join, enter (entry/entry.ts), then the meeting itself.
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type RoomState } from "../api";
import { ConnectionCheckPanel } from "../components/ConnectionCheck";
import { ErrorNotice } from "../components/ErrorNotice";
import { deriveKeys, secretFromFragment, type MeetingKeys } from "../e2ee/keys";
import { encryptionSupported } from "../e2ee/media";
import { Meeting } from "../components/Meeting";
import { PreJoin } from "../components/PreJoin";
import { enterRoom, entryFailure, type Entered } from "../entry/entry";
import { useI18n, type MessageKey } from "../i18n";
import { remembered, type MediaChoices } from "../storage";
import { joinStarted } from "../telemetry/telemetry";
import { traced } from "../tracing";

type Phase =
  | { kind: "loading" }
  | { kind: "prejoin" }
  | { kind: "joining" }
  | { kind: "waiting" }
  | Extract<Entered, { kind: "call" }>
  | { kind: "left" }
  | { kind: "error"; message: MessageKey; canRetry: boolean };

/** Failures after which the connection check is offered at once. */
const CONNECTION_TROUBLE: MessageKey[] = ["connectFailed", "disconnected", "networkError"];

function failure(error: unknown): Phase {
  return { kind: "error", ...entryFailure(error) };
}

export function RoomPage({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const [room, setRoom] = useState<RoomState>();
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [choices, setChoices] = useState<MediaChoices>(remembered.choices);
  /** An encrypted meeting's keys, from the link's fragment. */
  const [keys, setKeys] = useState<MeetingKeys>();
  const cancelled = useRef(false);

  /** What entering needs to know first: the room's state and, if it is encrypted, the keys.
   * Nothing joins before it is read, so an encrypted meeting is never entered in the clear. */
  const known = useRef<{ room: RoomState; keys?: MeetingKeys }>(undefined);

  const enter = useCallback(
    async (name: string, media: MediaChoices) => {
      const ready = known.current;
      if (!ready || (ready.room.room.e2ee && !ready.keys)) return;
      setChoices(media);
      setPhase({ kind: "joining" });
      joinStarted();
      let waited = false;
      try {
        // One trace from the click to the token, through the lobby.
        const entered = await traced(() =>
          enterRoom(roomId, name, {
            onWaiting: () => {
              waited = true;
              setPhase({ kind: "waiting" });
            },
            cancelled: () => cancelled.current,
          }),
        );
        // The host's decision is no part of how fast media connects: the clock restarts.
        if (entered.kind === "call" && waited) joinStarted();
        if (entered.kind === "call") setPhase(entered);
        else if (entered.kind === "removed") setPhase({ kind: "error", message: entered.status, canRetry: false });
      } catch (error) {
        setPhase(failure(error));
      }
    },
    [roomId],
  );

  const load = useCallback(() => {
    api.room(roomId).then(
      async (state) => {
        setRoom(state);
        let keys: MeetingKeys | undefined;
        if (state.room.e2ee && !state.ended) {
          // Checked before anyone joins: without the key there is nothing to see or hear.
          const secret = secretFromFragment(location.hash);
          if (!secret) return setPhase({ kind: "error", message: "e2eeNeedKey", canRetry: false });
          if (!encryptionSupported()) return setPhase({ kind: "error", message: "e2eeUnsupported", canRetry: false });
          keys = await deriveKeys(secret, roomId);
          setKeys(keys);
        }
        known.current = { room: state, keys };
        if (state.ended) setPhase({ kind: "error", message: "roomEnded", canRetry: false });
        else if (remembered.inCall(roomId) && remembered.session(roomId)) enter(remembered.displayName(), remembered.choices());
        else setPhase({ kind: "prejoin" });
      },
      (error) => setPhase(failure(error)),
    );
  }, [roomId, enter]);

  useEffect(() => {
    cancelled.current = false;
    load();
    return () => {
      cancelled.current = true;
    };
  }, [load]);

  /** Enters again after a failure; if the room itself could not be read, reads it first. */
  const retry = () => {
    if (known.current) return enter(remembered.displayName(), remembered.choices());
    setPhase({ kind: "loading" });
    load();
  };

  const leave = useCallback(
    async (session: string) => {
      remembered.setInCall(roomId, false);
      setPhase({ kind: "left" });
      await api.leave(roomId, session).catch(() => undefined);
    },
    [roomId],
  );

  switch (phase.kind) {
    case "loading":
    case "joining":
      return <p className="status" aria-live="polite">{phase.kind === "loading" ? t("loading") : t("joining")}</p>;
    case "waiting":
      return (
        <h1 className="status" aria-live="polite" data-testid="waiting">
          {t("waitingForHost")}
        </h1>
      );
    case "prejoin":
      return <PreJoin title={room?.room.title ?? ""} encrypted={room?.room.e2ee ?? false} onJoin={enter} />;
    case "left":
      return <ErrorNotice message="left" onRetry={() => enter(remembered.displayName(), remembered.choices())} />;
    case "error":
      return (
        <ErrorNotice
          message={phase.message}
          onRetry={phase.canRetry ? retry : undefined}
          retryLabel="retry"
        >
          {/* The check sends the camera and microphone unencrypted: not from an encrypted meeting. */}
          {CONNECTION_TROUBLE.includes(phase.message) && !room?.room.e2ee && <ConnectionCheckPanel />}
        </ErrorNotice>
      );
    case "call":
      return (
        <Meeting
          roomId={roomId}
          title={room?.room.title ?? ""}
          session={phase.session}
          token={phase.token}
          identity={phase.identity}
          host={phase.host}
          locked={room?.room.locked ?? false}
          keys={keys}
          choices={choices}
          onLeave={() => leave(phase.session)}
          onConnectionLost={(message, canRetry) => {
            if (!canRetry) remembered.setInCall(roomId, false);
            setPhase({ kind: "error", message, canRetry });
          }}
        />
      );
  }
}
