// Raised hands in the meeting: the toggle in the controls, and the queue above the participant list.
import { useParticipants } from "@livekit/components-react";
import { useState } from "react";
import type { Hands } from "../hands/useHands";
import { useI18n, type MessageKey } from "../i18n";

export function HandButton({ hands }: { hands: Hands }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState(false);
  const toggle = () => hands.toggle().then(() => setFailed(false), () => setFailed(true));
  return (
    <button
      className="lk-button"
      aria-pressed={hands.raised}
      onClick={toggle}
      data-testid="toggle-hand"
      data-loaded={hands.list !== undefined}
      title={failed ? t("handsUnavailable") : undefined}
    >
      ✋ {t(hands.raised ? "lowerHand" : "raiseHand")}
      {failed && (
        <span className="visually-hidden" role="alert">
          {t("handsUnavailable")}
        </span>
      )}
    </button>
  );
}

/** Who raised a hand, first raised first; a host can lower one or all. */
export function RaisedHands({ hands, host }: { hands: Hands; host: boolean }) {
  const { t } = useI18n();
  const participants = useParticipants();
  const [error, setError] = useState<MessageKey>();
  const queue = hands.list?.hands ?? [];
  if (queue.length === 0) return null;
  const name = (id: string) => participants.find((p) => p.identity === id)?.name || id;
  const lower = (id?: string) => hands.lower(id).then(() => setError(undefined), () => setError("actionFailed"));
  return (
    <section className="raised-hands" aria-label={t("raisedHands")}>
      <h2>{t("raisedHands")}</h2>
      <ol data-testid="raised-hands">
        {queue.map((hand) => (
          <li key={hand.participant_id} data-testid="raised-hand" data-name={name(hand.participant_id)}>
            ✋ {name(hand.participant_id)}
            {host && (
              <button className="lk-button" onClick={() => lower(hand.participant_id)} aria-label={`${t("lowerHand")}: ${name(hand.participant_id)}`}>
                {t("lowerHand")}
              </button>
            )}
          </li>
        ))}
      </ol>
      {host && (
        <button className="lk-button" onClick={() => lower()} data-testid="lower-all-hands">
          {t("lowerAllHands")}
        </button>
      )}
      {error && <p role="alert">{t(error)}</p>}
    </section>
  );
}
