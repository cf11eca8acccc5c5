// Background effects, seen from the other side. Chromium's fake camera shows no person, so
// the segmenter takes (nearly) the whole picture for background: with the virtual background
// chosen before joining, B receives that image; blurred, B receives a picture with far weaker
// edges than the raw camera. The choice is remembered.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APP_URL, createRoom, inSettings, launchBrowser, person, screenshot, waitForRemoteVideo } from "./helpers.mjs";

const remoteCamera = '.lk-participant-tile[data-lk-local-participant="false"][data-lk-source="camera"] video';
/** The mean colour of public/backgrounds/study.svg, roughly: a warm wall. */
const WALL = [200, 160, 120];

/** How much fine detail the remote camera's picture has (mean absolute Laplacian of its
 * brightness) and its mean colour, from a 160×90 copy of the frame B is showing. */
async function frameStats(page) {
  return page.evaluate((selector) => {
    const video = [...document.querySelectorAll(selector)].find((v) => v.videoWidth > 0);
    if (!video) return undefined;
    const canvas = Object.assign(document.createElement("canvas"), { width: 160, height: 90 });
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, 160, 90);
    const { data } = context.getImageData(0, 0, 160, 90);
    const luma = (i) => 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    let edges = 0;
    const colour = [0, 0, 0];
    for (let y = 0; y < 90; y++) {
      for (let x = 0; x < 160; x++) {
        const i = (y * 160 + x) * 4;
        for (let c = 0; c < 3; c++) colour[c] += data[i + c] / (160 * 90);
        // The discrete Laplacian: fine detail, which blur removes first.
        if (x > 0 && x < 159 && y > 0 && y < 89) {
          const around = luma(i - 4) + luma(i + 4) + luma(i - 640) + luma(i + 640);
          edges += Math.abs(around - 4 * luma(i)) / (158 * 88);
        }
      }
    }
    return { edges, colour };
  }, remoteCamera);
}

/** The median over a few seconds, so one odd frame decides nothing. */
async function settledStats(page, samples = 8) {
  const seen = [];
  while (seen.length < samples) {
    const stats = await frameStats(page);
    if (stats) seen.push(stats);
    await page.waitForTimeout(400);
  }
  seen.sort((a, b) => a.edges - b.edges);
  return seen[Math.floor(seen.length / 2)];
}

async function waitForStats(page, test, description) {
  let stats;
  for (let attempt = 0; attempt < 60; attempt++) {
    stats = await frameStats(page);
    if (stats && test(stats)) return stats;
    await page.waitForTimeout(500);
  }
  assert.fail(`${description}: ${JSON.stringify(stats)}`);
}

describe("background effects", () => {
  let browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => await browser?.close());

  it("blur and the virtual background change what others receive, and the choice is remembered", async () => {
    const { room } = await createRoom();
    const url = `${APP_URL}/r/${room.id}`;
    const [a, b] = [await person(browser, "A"), await person(browser, "B")];
    await a.goto(url);
    await a.getByLabel("Your name").fill("Ann");
    await a.getByTestId("background").selectOption("image");
    await a.getByTestId("join").click();
    await b.goto(url);
    await b.getByLabel("Your name").fill("Bob");
    await b.getByTestId("join").click();
    await waitForRemoteVideo(b, 60_000);
    await b.getByTestId("toggle-view").click();

    // Chosen before joining: the first thing B sees of A is the virtual background.
    const replaced = await waitForStats(b, (s) => s.colour.every((value, c) => Math.abs(value - WALL[c]) < 40), "the virtual background arrives");
    console.log(`# mean colour of A's camera at B with the virtual background: ${replaced.colour.map(Math.round).join(", ")}`);
    await screenshot(b, "31-background-image");

    await inSettings(a, (d) => d.getByTestId("background").selectOption("none"));
    await waitForStats(b, (s) => s.colour.some((value, c) => Math.abs(value - WALL[c]) > 60), "the raw camera is back");
    const raw = await settledStats(b);
    await screenshot(b, "30-background-raw");
    await inSettings(a, (d) => d.getByTestId("background").selectOption("blur"));
    await waitForStats(b, (s) => s.edges < raw.edges / 1.5, "blur weakens the edges");
    const blurred = await settledStats(b);
    assert.ok(blurred.edges < raw.edges / 1.5, `blurred, the picture keeps less fine detail (${blurred.edges} vs ${raw.edges})`);
    console.log(`# fine detail in A's camera at B: ${raw.edges.toFixed(2)} raw, ${blurred.edges.toFixed(2)} blurred`);
    await waitForRemoteVideo(b);

    await a.reload();
    await a.getByTestId("settings").click();
    assert.equal(await a.getByTestId("background").inputValue(), "blur", "remembered after a reload");
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});
