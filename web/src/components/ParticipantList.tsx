import { useParticipants } from "@livekit/components-react";
import { useI18n } from "../i18n";
import { isHost, ParticipantActions } from "./Moderation";

/** Everyone in the room with their microphone, camera and speaking state; hosts also get actions. */
export function ParticipantList({ roomId, session, host }: { roomId: string; session: string; host: boolean }) {
  const { t } = useI18n();
  const participants = useParticipants();
  return (
    <section aria-label={t("participants")} className="participants">
      <ul data-testid="participants">
        {participants.map((p) => (
          <li
            key={p.identity}
            data-testid="participant"
            data-name={p.name}
            data-mic={p.isMicrophoneEnabled ? "on" : "off"}
            data-camera={p.isCameraEnabled ? "on" : "off"}
            data-speaking={p.isSpeaking}
          >
            <span className="name">{p.name || p.identity}</span>
            {p.isLocal && <span className="hint"> ({t("you")})</span>}
            {isHost(p) && <span className="badge">{t("host")}</span>}
            <span className="states">
              {!p.isMicrophoneEnabled && <span className="state">{t("micOff")}</span>}
              {!p.isCameraEnabled && <span className="state">{t("camOff")}</span>}
              {p.isSpeaking && <span className="state speaking">{t("speaking")}</span>}
            </span>
            {host && !p.isLocal && <ParticipantActions roomId={roomId} session={session} participant={p} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
