// Real browsers for the meeting tests: Debian's Chromium with a fake camera and microphone,
// against the local server, PostgreSQL, Redis and LiveKit that `make test` started.
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

export const APP_URL = process.env.APP_URL;
if (!APP_URL) throw new Error("APP_URL is not set: run the browser tests through `make test`");

export const ARTIFACTS = new URL("./artifacts/", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  // WebRTC skips loopback candidates without this, and LiveKit offers only loopback ones.
  "--allow-loopback-in-peer-connection",
  "--autoplay-policy=no-user-gesture-required",
];

/** Chromium with fake devices; `extra` flags for a test that needs its own (a microphone file). */
export async function launchBrowser(extra = []) {
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: [...FLAGS, ...extra] });
}

/** A browser with a profile on disk (not incognito), for what Chromium allows only there. */
export async function launchWithProfile(directory) {
  return chromium.launchPersistentContext(directory, { executablePath: "/usr/bin/chromium", headless: true, args: FLAGS });
}

/** A person with their own browser profile; any alert() or page crash is recorded. */
export async function person(browser, label) {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["camera", "microphone", "clipboard-read", "clipboard-write"], { origin: APP_URL });
  const page = await context.newPage();
  page.dialogs = [];
  page.errors = [];
  page.on("dialog", (dialog) => {
    page.dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  page.on("pageerror", (error) => page.errors.push(`${label}: ${error.message}`));
  // The server's Content-Security-Policy is enforced here: anything it blocks is an error.
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (load|connect|execute|apply)/i.test(message.text())) page.errors.push(`${label}: ${message.text()}`);
  });
  return page;
}

/** Creates a room through the API (for tests about something other than the start page). */
export async function createRoom(body = {}) {
  const response = await fetch(`${APP_URL}/api/rooms`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title: "Browser test", ...body }),
  });
  if (response.status !== 201) throw new Error(`creating a room: ${response.status} ${await response.text()}`);
  return response.json();
}

export async function participantCount(roomId) {
  const response = await fetch(`${APP_URL}/api/rooms/${roomId}`);
  return (await response.json()).room.participant_count;
}

/** Opens a room link, types a name on the pre-join screen and joins. */
export async function enter(page, url, name) {
  await page.goto(url);
  await page.getByLabel("Your name").fill(name);
  await page.getByTestId("join").click();
  await page.locator(".meeting").waitFor({ timeout: 20_000 });
}

/** Sends a chat message from the meeting's chat box. */
export async function say(page, text) {
  await page.getByLabel("Write a message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/** Waits until the chat shows a message containing `text`. */
export async function seesMessage(page, text) {
  await page.getByTestId("message").filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}

const remoteTile = '.lk-participant-tile[data-lk-local-participant="false"]';

/** Waits until a remote camera <video> has decoded frames, then checks that it keeps playing. */
export async function waitForRemoteVideo(page, timeout = 30_000) {
  const selector = `${remoteTile}[data-lk-source="camera"] video`;
  await page.waitForFunction(
    (s) => [...document.querySelectorAll(s)].some((v) => v.videoWidth > 0 && v.readyState >= 2),
    selector,
    { timeout },
  );
  const currentTime = () =>
    page.evaluate((s) => Math.max(...[...document.querySelectorAll(s)].map((v) => (v.videoWidth > 0 ? v.currentTime : 0))), selector);
  const before = await currentTime();
  await page.waitForFunction(
    ([s, t]) => [...document.querySelectorAll(s)].some((v) => v.videoWidth > 0 && v.currentTime > t),
    [selector, before],
    { timeout: 10_000 },
  );
}

/** Whether the page plays a remote audio track (RoomAudioRenderer's <audio> elements). */
export async function receivesAudio(page, timeout = 20_000) {
  await page.waitForFunction(
    () => [...document.querySelectorAll("audio")].some((a) => a.srcObject && a.srcObject.getAudioTracks().some((t) => t.readyState === "live")),
    null,
    { timeout },
  );
}

export function participantItem(page, name) {
  return page.locator(`[data-testid="participant"][data-name="${name}"]`);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png` });
}

/** Keeps every RTCPeerConnection the page opens, so a test can read what really arrives
 * (call before the page loads). */
export async function watchPeerConnections(page) {
  await page.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    window.__peerConnections = [];
    window.RTCPeerConnection = function (...args) {
      const pc = new Native(...args);
      window.__peerConnections.push(pc);
      return pc;
    };
    window.RTCPeerConnection.prototype = Native.prototype;
    Object.setPrototypeOf(window.RTCPeerConnection, Native);
  });
}

/** Bytes of video received so far over all the page's connections (watchPeerConnections). */
export async function videoBytesReceived(page) {
  return page.evaluate(async () => {
    let total = 0;
    for (const pc of window.__peerConnections) {
      if (pc.connectionState === "closed") continue;
      (await pc.getStats()).forEach((s) => {
        if (s.type === "inbound-rtp" && s.kind === "video") total += s.bytesReceived;
      });
    }
    return total;
  });
}

/** The loudness (RMS) of what the page plays from others, in 50 ms windows over `ms`. */
export async function receivedAudioLevels(page, ms = 3000) {
  return page.evaluate(async (ms) => {
    const context = new AudioContext();
    const analysers = [...document.querySelectorAll("audio")]
      .filter((a) => a.srcObject)
      .map((a) => {
        const analyser = context.createAnalyser();
        analyser.fftSize = 2048;
        context.createMediaStreamSource(a.srcObject).connect(analyser);
        return analyser;
      });
    const samples = new Float32Array(2048);
    const levels = [];
    for (const end = performance.now() + ms; performance.now() < end; ) {
      let sum = 0;
      for (const analyser of analysers) {
        analyser.getFloatTimeDomainData(samples);
        for (const sample of samples) sum += sample * sample;
      }
      levels.push(Math.sqrt(sum / (samples.length * Math.max(analysers.length, 1))));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await context.close();
    return levels;
  }, ms);
}

/** Changes the meeting's settings in their dialog: `change(dialog)` acts inside it. */
export async function inSettings(page, change) {
  await page.getByTestId("settings").click();
  const dialog = page.getByTestId("settings-dialog");
  await change(dialog);
  await dialog.getByTestId("settings-dialog-close").click();
}
