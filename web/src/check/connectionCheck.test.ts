import { CheckStatus, type CheckInfo } from "livekit-client";
import { describe, expect, it } from "vitest";
import { CheckCancelled, runChecks, type Checks, type Outcome, type Step } from "./connectionCheck";

const info = (status: CheckStatus, messages: string[] = []): CheckInfo => ({
  name: "",
  description: "",
  status,
  logs: messages.map((message) => ({ level: "info", message })),
});
const ok = () => Promise.resolve(info(CheckStatus.SUCCESS));
const failed = () => Promise.resolve(info(CheckStatus.FAILED));
const skipped = () => Promise.resolve(info(CheckStatus.SKIPPED));

function standIn(overrides: Partial<Checks> = {}): Checks & { called: string[] } {
  const called: string[] = [];
  const checks: Checks = {
    checkWebsocket: ok,
    checkWebRTC: () => Promise.resolve(info(CheckStatus.SUCCESS, ["udp 127.0.0.1:50000 host"])),
    checkConnectionProtocol: ok,
    checkTURN: skipped,
    checkPublishAudio: ok,
    checkPublishVideo: ok,
    ...overrides,
  };
  const traced = Object.fromEntries(
    Object.entries(checks).map(([name, call]) => [name, () => (called.push(name), call())]),
  ) as unknown as Checks;
  return Object.assign(traced, { called });
}

async function outcomes(checks: Checks) {
  const last: Partial<Record<Step, Outcome>> = {};
  const passed = await runChecks(checks, (step, outcome) => (last[step] = outcome));
  return { passed, last };
}

describe("the connection check", () => {
  it("passes when everything the server offers works, and says what it does not offer", async () => {
    const checks = standIn();
    const { passed, last } = await outcomes(checks);
    expect(passed).toBe(true);
    expect(last).toEqual({ signalling: "ok", webrtc: "ok", tcp: "skipped", turn: "skipped", audio: "ok", video: "ok" });
    expect(checks.called).not.toContain("checkConnectionProtocol");
  });

  it("tests TCP only when the server offered a TCP candidate", async () => {
    const checks = standIn({ checkWebRTC: () => Promise.resolve(info(CheckStatus.SUCCESS, ["tcp 10.0.0.1:7881 host (passive)"])) });
    const { last } = await outcomes(checks);
    expect(last.tcp).toBe("ok");
    expect(checks.called).toContain("checkConnectionProtocol");
  });

  it("stops after the signalling server cannot be reached", async () => {
    const checks = standIn({ checkWebsocket: failed });
    const { passed, last } = await outcomes(checks);
    expect(passed).toBe(false);
    expect(last).toEqual({ signalling: "failed", webrtc: "notRun", tcp: "notRun", turn: "notRun", audio: "notRun", video: "notRun" });
    expect(checks.called).toEqual(["checkWebsocket"]);
  });

  it("tries the relay when a direct media connection fails, and publishing only if one worked", async () => {
    const { passed, last } = await outcomes(standIn({ checkWebRTC: failed }));
    expect(passed).toBe(false);
    expect(last).toMatchObject({ webrtc: "failed", tcp: "notRun", turn: "skipped", audio: "notRun", video: "notRun" });
    const relayed = await outcomes(standIn({ checkWebRTC: failed, checkTURN: ok }));
    expect(relayed.last).toMatchObject({ turn: "ok", audio: "ok", video: "ok" });
    expect(relayed.passed).toBe(false);
  });

  it("counts a check that throws as failed and goes on", async () => {
    const { passed, last } = await outcomes(standIn({ checkPublishAudio: () => Promise.reject(new Error("no microphone")) }));
    expect(passed).toBe(false);
    expect(last).toMatchObject({ audio: "failed", video: "ok" });
  });

  it("stops between steps once cancelled, before taking the camera and microphone", async () => {
    let left = false;
    const checks = standIn({ checkWebRTC: () => ((left = true), ok()) });
    await expect(runChecks(checks, () => undefined, () => left)).rejects.toBeInstanceOf(CheckCancelled);
    expect(checks.called).toEqual(["checkWebsocket", "checkWebRTC"]);
  });
});
