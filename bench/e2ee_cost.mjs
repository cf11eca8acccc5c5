// What end-to-end encryption costs a browser: two people in one Chromium (fake camera and
// microphone, software rendering) meet with encryption off and on, in alternating rounds of
// one run, and the browser's processes' CPU time is read over a fixed window through the
// debugging protocol (SystemInfo.getProcessInfo, which counts the encryption worker too).
//
//   node bench/e2ee_cost.mjs OUT.json     (APP_URL set, the stack and local server running)
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { APP_URL, createRoom, enter, launchBrowser, person, waitForRemoteVideo, watchPeerConnections, videoBytesReceived } from "../web/e2e/helpers.mjs";

const WINDOW_S = 20;
const ROUNDS = 3;

async function cpuSeconds(cdp) {
  const { processInfo } = await cdp.send("SystemInfo.getProcessInfo");
  return processInfo.reduce((sum, p) => sum + p.cpuTime, 0);
}

/** Two people meeting, then the browser's CPU and the video received over the window. */
async function round(e2ee) {
  const browser = await launchBrowser();
  try {
    const cdp = await browser.newBrowserCDPSession();
    const { room } = await createRoom({ e2ee, max_participants: 5 });
    const url = `${APP_URL}/r/${room.id}${e2ee ? `#${randomBytes(32).toString("base64url")}` : ""}`;
    const [a, b] = [await person(browser, "a"), await person(browser, "b")];
    for (const page of [a, b]) await watchPeerConnections(page);
    await enter(a, url, "Ann");
    await enter(b, url, "Ben");
    await waitForRemoteVideo(a);
    await waitForRemoteVideo(b);
    // Measured as such only if the meeting really is encrypted.
    if (e2ee) for (const page of [a, b]) await page.getByTestId("e2ee-badge").waitFor({ timeout: 5000 });
    // Past the start (simulcast layers ramping up, the first keyframes).
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const [cpu0, bytes0] = [await cpuSeconds(cdp), (await videoBytesReceived(a)) + (await videoBytesReceived(b))];
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000));
    const seconds = (performance.now() - started) / 1000;
    const [cpu1, bytes1] = [await cpuSeconds(cdp), (await videoBytesReceived(a)) + (await videoBytesReceived(b))];
    const errors = [...a.errors, ...b.errors];
    if (errors.length) throw new Error(errors.join("\n"));
    return { e2ee, cores: (cpu1 - cpu0) / seconds, video_kbps: ((bytes1 - bytes0) * 8) / seconds / 1000 };
  } finally {
    await browser.close();
  }
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const rounds = [];
for (let n = 0; n < ROUNDS; n++) for (const e2ee of [false, true]) rounds.push(await round(e2ee));
const summary = (e2ee) => {
  const mine = rounds.filter((r) => r.e2ee === e2ee);
  return { cores: median(mine.map((r) => r.cores)), video_kbps: median(mine.map((r) => r.video_kbps)) };
};
const result = { window_s: WINDOW_S, rounds, off: summary(false), on: summary(true) };
result.ratio = result.on.cores / result.off.cores;
writeFileSync(process.argv[2], JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
