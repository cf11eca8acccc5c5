// A room link: check the room, pre-join, join through the API, then the meeting itself.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api, type RoomState, type RoomToken } from "../api";
import { ErrorNotice } from "../components/ErrorNotice";
import { Meeting } from "../components/Meeting";
import { PreJoin } from "../components/PreJoin";
import { errorKey, useI18n, type MessageKey } from "../i18n";
import { remembered, type MediaChoices } from "../storage";

type Phase =
  | { kind: "loading" }
  | { kind: "prejoin" }
  | { kind: "joining" }
  | { kind: "waiting" }
  | { kind: "call"; session: string; token: RoomToken; identity: string }
  | { kind: "left" }
  | { kind: "error"; message: MessageKey; canRetry: boolean };

const WAITING_POLL_MS = 2000;

function failure(error: unknown): Phase {
  const code = error instanceof ApiError ? error.code : "genericError";
  // A session the server no longer knows cannot come back: forget it and start over.
  return { kind: "error", message: errorKey(code), canRetry: code === "network_error" || code === "rate_limited" };
}

export function RoomPage({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const [room, setRoom] = useState<RoomState>();
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [choices, setChoices] = useState<MediaChoices>(remembered.choices);
  const cancelled = useRef(false);

  const enter = useCallback(
    async (name: string, media: MediaChoices) => {
      setChoices(media);
      setPhase({ kind: "joining" });
      try {
        const joined = await api.join(roomId, { display_name: name, host_key: remembered.hostKey(roomId) }, remembered.session(roomId));
        remembered.setSession(roomId, joined.session_token);
        if (joined.participant.status === "waiting") setPhase({ kind: "waiting" });
        for (;;) {
          try {
            const token = await api.token(roomId, joined.session_token);
            remembered.setInCall(roomId, true);
            setPhase({ kind: "call", session: joined.session_token, token, identity: joined.participant.identity });
            return;
          } catch (error) {
            if (!(error instanceof ApiError && error.code === "not_admitted") || cancelled.current) throw error;
            await new Promise((resolve) => setTimeout(resolve, WAITING_POLL_MS));
          }
        }
      } catch (error) {
        if (error instanceof ApiError && error.code === "unauthorized") remembered.forgetSession(roomId);
        setPhase(failure(error));
      }
    },
    [roomId],
  );

  useEffect(() => {
    cancelled.current = false;
    api.room(roomId).then(
      (state) => {
        setRoom(state);
        if (state.ended) setPhase({ kind: "error", message: "roomEnded", canRetry: false });
        else if (remembered.inCall(roomId) && remembered.session(roomId)) enter(remembered.displayName(), remembered.choices());
        else setPhase({ kind: "prejoin" });
      },
      (error) => setPhase(failure(error)),
    );
    return () => {
      cancelled.current = true;
    };
  }, [roomId, enter]);

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
      return <p className="status" aria-live="polite" data-testid="waiting">{t("waitingForHost")}</p>;
    case "prejoin":
      return <PreJoin title={room?.room.title ?? ""} onJoin={enter} />;
    case "left":
      return <ErrorNotice message="left" onRetry={() => enter(remembered.displayName(), choices)} />;
    case "error":
      return (
        <ErrorNotice
          message={phase.message}
          onRetry={phase.canRetry ? () => enter(remembered.displayName(), choices) : undefined}
          retryLabel="retry"
        />
      );
    case "call":
      return (
        <Meeting
          roomId={roomId}
          title={room?.room.title ?? ""}
          session={phase.session}
          token={phase.token}
          identity={phase.identity}
          choices={choices}
          onLeave={() => leave(phase.session)}
          onConnectionLost={(message) => setPhase({ kind: "error", message, canRetry: true })}
        />
      );
  }
}
