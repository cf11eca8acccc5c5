// A room link: check the room, pre-join, join through the API, then the meeting itself.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api, isRemoved, type RoomState, type RoomToken } from "../api";
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
  | { kind: "call"; session: string; token: RoomToken; identity: string; host: boolean }
  | { kind: "left" }
  | { kind: "error"; message: MessageKey; canRetry: boolean };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
        const joined = await api.join(
          roomId,
          { display_name: name, host_key: remembered.hostKey(roomId), device_id: remembered.deviceId() },
          remembered.session(roomId),
        );
        const session = joined.session_token;
        remembered.setSession(roomId, session);
        if (joined.participant.status === "waiting") {
          setPhase({ kind: "waiting" });
          // Ask again as often as the server says (about once a second) until a host decides.
          for (;;) {
            const { body, retryAfterSeconds } = await api.me(roomId, session);
            const status = body.participant.status;
            if (isRemoved(status)) {
              setPhase({ kind: "error", message: status, canRetry: false });
              return;
            }
            if (status !== "waiting" || cancelled.current) break;
            await sleep((retryAfterSeconds ?? 1) * 1000);
          }
          if (cancelled.current) return;
        }
        const token = await api.token(roomId, session);
        remembered.setInCall(roomId, true);
        setPhase({ kind: "call", session, token, identity: joined.participant.identity, host: joined.participant.role === "host" });
      } catch (error) {
        // A session the server refuses for good is dropped, so the next attempt joins afresh.
        if (error instanceof ApiError && (error.code === "unauthorized" || isRemoved(error.code))) remembered.forgetSession(roomId);
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
          host={phase.host}
          locked={room?.room.locked ?? false}
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
