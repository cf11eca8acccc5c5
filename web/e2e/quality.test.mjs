// The quality setting, seen from the other side: data saver receives and sends low-resolution
// video, audio only receives no video and sends none, and the choice outlives a reload. Every
// tile shows its connection quality.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APP_URL, createRoom, inSettings, launchBrowser, person, receivesAudio, screenshot, videoBytesReceived, waitForRemoteVideo, watchPeerConnections } from "./helpers.mjs";

const remoteCamera = '.lk-participant-tile[data-lk-local-participant="false"][data-lk-source="camera"] video';

/** Waits until the widest remote camera video this page decodes satisfies `test`. */
async function remoteWidth(page, test, description) {
  let width = 0;
  for (let attempt = 0; attempt < 60; attempt++) {
    width = await page.evaluate((s) => Math.max(0, ...[...document.querySelectorAll(s)].map((v) => v.videoWidth)), remoteCamera);
    if (test(width)) return width;
    await page.waitForTimeout(500);
  }
  assert.fail(`${description}: the remote video is ${width}px wide`);
}

describe("quality settings", () => {
  let browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => await browser?.close());

  it("data saver and audio only change what is received and sent; the choice is remembered", async () => {
    const { room } = await createRoom();
    const url = `${APP_URL}/r/${room.id}`;
    const [a, b] = [await person(browser, "A"), await person(browser, "B")];
    await watchPeerConnections(b);
    await a.goto(url);
    await a.getByLabel("Your name").fill("Ann");
    await a.getByTestId("join").click();
    await b.goto(url);
    await b.getByLabel("Your name").fill("Bob");
    await b.getByTestId("join").click();
    await waitForRemoteVideo(b);
    await waitForRemoteVideo(a);

    // Each remote tile carries LiveKit's connection-quality indicator.
    await a.locator('.lk-participant-tile[data-lk-local-participant="false"] .lk-connection-quality').first().waitFor();

    // A large on B's stage, so that LiveKit's adaptive stream asks for A's best layer.
    await b.getByTestId("toggle-view").click();
    // Once A's video has ramped up, data saver takes B down to the lowest layer.
    await remoteWidth(b, (w) => w > 320, "automatic receives more than the lowest layer");
    await inSettings(b, (d) => d.getByTestId("quality").selectOption("saver"));
    await remoteWidth(b, (w) => w > 0 && w <= 320, "data saver receives the lowest layer");
    await inSettings(b, (d) => d.getByTestId("quality").selectOption("auto"));
    await remoteWidth(b, (w) => w > 320, "automatic again");

    // A sends at 320×180 in data saver: B, on automatic, gets no more than that.
    await inSettings(a, (d) => d.getByTestId("quality").selectOption("saver"));
    await remoteWidth(b, (w) => w > 0 && w <= 320, "what data saver sends");

    // Audio only: B stops receiving video and stops sending its camera, and still hears A.
    await inSettings(b, (d) => d.getByTestId("quality").selectOption("audio"));
    await remoteWidth(b, (w) => w === 0, "audio only shows no video");
    await b.waitForTimeout(1000);
    const before = await videoBytesReceived(b);
    await b.waitForTimeout(3000);
    const received = (await videoBytesReceived(b)) - before;
    assert.ok(received < 10_000, `audio only receives no video (${received} bytes in 3 s)`);
    await receivesAudio(b);
    await a.waitForFunction(
      (s) => [...document.querySelectorAll(s)].every((v) => v.videoWidth === 0 || !v.srcObject || v.srcObject.getVideoTracks().every((t) => t.readyState !== "live" || t.muted)),
      remoteCamera,
      { timeout: 20_000 },
    );
    await screenshot(b, "29-quality-audio-only");

    await b.reload();
    await b.getByTestId("settings").click();
    assert.equal(await b.getByTestId("quality").inputValue(), "audio", "remembered after a reload");
    await b.getByTestId("settings-dialog-close").click();
    await receivesAudio(b);
    await b.waitForTimeout(2000);
    const afterReload = await videoBytesReceived(b);
    await b.waitForTimeout(3000);
    assert.ok((await videoBytesReceived(b)) - afterReload < 10_000, "and applied: still no video after the reload");
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});
