// The connection check: livekit-client's checks, run one after another against a throwaway
// room (POST /api/connection-check), each outcome turned into a step people can read. A step
// that cannot tell anything once an earlier one failed is not run.
import { CheckStatus, type CheckInfo } from "livekit-client";

export const STEPS = ["signalling", "webrtc", "tcp", "turn", "audio", "video"] as const;
export type Step = (typeof STEPS)[number];
export type Outcome = "running" | "ok" | "failed" | "skipped" | "notRun";

/** What the runner uses of livekit-client's `ConnectionCheck` (a stand-in in unit tests). */
export interface Checks {
  checkWebsocket(): Promise<CheckInfo>;
  checkWebRTC(): Promise<CheckInfo>;
  checkConnectionProtocol(): Promise<CheckInfo>;
  checkTURN(): Promise<CheckInfo>;
  checkPublishAudio(): Promise<CheckInfo>;
  checkPublishVideo(): Promise<CheckInfo>;
}

type Report = (step: Step, outcome: Outcome) => void;

/** Thrown when the person left the check (the panel closed, they joined): later steps would
 * take their camera and microphone from the meeting. */
export class CheckCancelled extends Error {}

/** Runs every step, reporting each as it starts and ends; true when none failed. Between
 * steps, stops with `CheckCancelled` once `cancelled()` says so. */
export async function runChecks(checks: Checks, report: Report, cancelled: () => boolean = () => false): Promise<boolean> {
  const run = async (step: Step, call: () => Promise<CheckInfo>) => {
    if (cancelled()) throw new CheckCancelled();
    report(step, "running");
    let info: CheckInfo | undefined;
    try {
      info = await call();
    } catch {
      // A check that throws instead of reporting failed all the same.
    }
    const outcome: Outcome = info?.status === CheckStatus.SUCCESS ? "ok" : info?.status === CheckStatus.SKIPPED ? "skipped" : "failed";
    report(step, outcome);
    return { outcome, info };
  };
  const notRun = (...steps: Step[]) => steps.forEach((step) => report(step, "notRun"));

  if ((await run("signalling", () => checks.checkWebsocket())).outcome !== "ok") {
    notRun("webrtc", "tcp", "turn", "audio", "video");
    return false;
  }
  const webrtc = await run("webrtc", () => checks.checkWebRTC());
  const direct = webrtc.outcome === "ok";
  if (!direct) notRun("tcp");
  else if (offersTcp(webrtc.info)) await run("tcp", () => checks.checkConnectionProtocol());
  else report("tcp", "skipped");
  // A relay may get through where a direct connection did not.
  const turn = await run("turn", () => checks.checkTURN());
  if (!direct && turn.outcome !== "ok") {
    notRun("audio", "video");
    return false;
  }
  const audio = await run("audio", () => checks.checkPublishAudio());
  const video = await run("video", () => checks.checkPublishVideo());
  return [webrtc, audio, video].every((step) => step.outcome === "ok") && turn.outcome !== "failed";
}

/** Whether the server offered an ICE candidate over TCP (the WebRTC check logs each one as
 * "protocol address:port type"); without one there is no TCP path to test. */
export function offersTcp(info: CheckInfo | undefined): boolean {
  return (info?.logs ?? []).some((log) => log.message.startsWith("tcp "));
}
