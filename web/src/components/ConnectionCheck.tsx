// "Check my connection": runs the real path to the media server from this browser and says,
// step by step, what works and what to do about what does not.
import { ConnectionCheck } from "livekit-client";
import { useEffect, useRef, useState } from "react";
import { api, ApiError } from "../api";
import { CheckCancelled, runChecks, STEPS, type Outcome, type Step } from "../check/connectionCheck";
import { errorKey, useI18n, type MessageKey } from "../i18n";
import { report, type Stage } from "../telemetry/telemetry";

/** Where a failed step breaks the path, as telemetry counts it. */
const STAGE: Record<Step, Stage> = { signalling: "signalling", webrtc: "ice", tcp: "ice", turn: "turn", audio: "publish", video: "publish" };

const LABEL: Record<Step, MessageKey> = {
  signalling: "checkSignalling",
  webrtc: "checkWebrtc",
  tcp: "checkTcp",
  turn: "checkTurn",
  audio: "checkAudio",
  video: "checkVideo",
};
const ADVICE: Record<Step, MessageKey> = {
  signalling: "adviceSignalling",
  webrtc: "adviceWebrtc",
  tcp: "adviceTcp",
  turn: "adviceTurn",
  audio: "adviceAudio",
  video: "adviceVideo",
};
const OUTCOME: Record<Outcome, MessageKey> = {
  running: "outcomeRunning",
  ok: "outcomeOk",
  failed: "outcomeFailed",
  skipped: "outcomeSkipped",
  notRun: "outcomeNotRun",
};
const MARK: Record<Outcome, string> = { running: "…", ok: "✓", failed: "✗", skipped: "–", notRun: "·" };

export function ConnectionCheckPanel() {
  const { t } = useI18n();
  const [outcomes, setOutcomes] = useState<Partial<Record<Step, Outcome>>>({});
  const [running, setRunning] = useState(false);
  const [summary, setSummary] = useState<MessageKey>();
  const gone = useRef(false);
  useEffect(() => {
    gone.current = false;
    return () => {
      gone.current = true;
    };
  }, []);

  async function start() {
    setRunning(true);
    setOutcomes({});
    setSummary(undefined);
    try {
      const { token, livekit_url } = await api.connectionCheck();
      const checks = new ConnectionCheck(livekit_url, token);
      const show = (step: Step, outcome: Outcome) => {
        setOutcomes((known) => ({ ...known, [step]: outcome }));
        if (outcome === "failed") report({ type: "connection_failure", stage: STAGE[step] });
      };
      const passed = await runChecks(checks, show, () => gone.current);
      setSummary(passed ? "checkAllGood" : "checkProblem");
    } catch (error) {
      if (error instanceof CheckCancelled) return;
      setSummary(errorKey(error instanceof ApiError ? error.code : "network_error"));
    } finally {
      if (!gone.current) setRunning(false);
    }
  }

  const started = Object.keys(outcomes).length > 0;
  return (
    <section className="connection-check" aria-label={t("checkConnection")} data-testid="connection-check">
      <button type="button" className="secondary" onClick={() => void start()} disabled={running} data-testid="check-connection">
        {running ? t("checking") : t("checkConnection")}
      </button>
      {started && (
        <ol className="check-steps">
          {STEPS.map((step) => {
            const outcome = outcomes[step];
            return (
              <li key={step} data-step={step} data-outcome={outcome ?? "pending"}>
                <span aria-hidden="true" className="mark">{outcome ? MARK[outcome] : ""}</span> {t(LABEL[step])}
                {outcome && <span className="outcome">: {t(OUTCOME[outcome])}</span>}
                {outcome === "failed" && <p className="advice">{t(ADVICE[step])}</p>}
              </li>
            );
          })}
        </ol>
      )}
      {summary && (
        <p role="status" data-testid="check-summary" data-passed={summary === "checkAllGood"}>
          {t(summary)}
        </p>
      )}
    </section>
  );
}
