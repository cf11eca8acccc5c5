// The stage: speaker view makes whoever speaks large, a pin keeps a chosen tile large, a
// screen share takes the focus, and the chosen view is remembered.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APP_URL, createRoom, enter, launchBrowser, person, screenshot } from "./helpers.mjs";

/** Joins with the microphone off, so that only the others' fake microphones make a sound. */
async function enterSilent(page, url, name) {
  await page.goto(url);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Microphone on").uncheck();
  await page.getByTestId("join").click();
  await page.locator(".meeting").waitFor({ timeout: 20_000 });
}

/** Waits until the large tile on the page is `name`'s `source` ("camera" or "screen_share"). */
async function focusIs(page, name, source = "camera", timeout = 20_000) {
  await page.waitForFunction(
    ([expected, kind]) => {
      const tile = document.querySelector('.tile[data-focused="true"] .lk-participant-tile');
      // A screen share's tile is named "<name>'s screen" (in English).
      const shown = tile?.querySelector(".lk-participant-name")?.textContent ?? "";
      return shown.startsWith(expected) && tile.dataset.lkSource === kind;
    },
    [name, source],
    { timeout },
  );
}

const SPEECH = new URL("./fixtures/speech-in-noise.wav", import.meta.url).pathname;

function tileOf(page, name) {
  return page.locator(".tile", { has: page.locator(".lk-participant-name", { hasText: name }) });
}

describe("stage", () => {
  let browser;
  // Bob's microphone plays speech. Chromium's default fake microphone plays a tone, which noise
  // suppression (on by default) rightly removes, so nobody would be heard speaking.
  before(async () => (browser = await launchBrowser([`--use-file-for-fake-audio-capture=${SPEECH}`])));
  after(async () => await browser?.close());

  it("speaker view enlarges the speaker; a pin holds; a screen share takes the focus; the view is remembered", async () => {
    const { room } = await createRoom({ max_participants: 5 });
    const url = `${APP_URL}/r/${room.id}`;
    const [a, b, c] = await Promise.all(["A", "B", "C"].map((label) => person(browser, label)));
    // Carol comes before Bob, so Bob is large only because he speaks, not because he is first.
    await enterSilent(a, url, "Alice");
    await enterSilent(c, url, "Carol");
    await tileOf(a, "Carol").waitFor({ timeout: 15_000 });
    await enter(b, url, "Bob");
    await tileOf(a, "Bob").waitFor({ timeout: 15_000 });

    assert.equal(await a.locator('.tile[data-focused="true"]').count(), 0, "the grid has no large tile");
    await a.getByTestId("toggle-view").click();
    await focusIs(a, "Bob");
    await screenshot(a, "22-speaker-view");

    // Alice pins Carol, who says nothing: Carol stays large while Bob goes on speaking.
    await tileOf(a, "Carol").hover();
    await tileOf(a, "Carol").locator(".lk-focus-toggle-button").click();
    await focusIs(a, "Carol");
    await a.waitForTimeout(3000);
    await focusIs(a, "Carol", "camera", 1000);
    await screenshot(a, "23-pinned");
    await tileOf(a, "Carol").hover();
    await a.locator('.tile[data-focused="true"] .lk-focus-toggle-button').click();
    await focusIs(a, "Bob");

    await b.getByTestId("toggle-screen").click();
    await focusIs(a, "Bob", "screen_share");
    await a.waitForFunction(() => (document.querySelector('.tile[data-focused="true"] video')?.videoWidth ?? 0) > 0, null, {
      timeout: 20_000,
    });
    await screenshot(a, "24-screen-share-focus");
    const caption = a.locator('.tile[data-focused="true"] .lk-participant-name');
    assert.equal(await caption.textContent(), "Bob's screen");
    await a.getByLabel("Language").selectOption("ru");
    assert.equal(await caption.textContent(), "Экран: Bob", "the caption is translated");
    await a.getByLabel("Язык").selectOption("en");
    await b.getByTestId("toggle-screen").click();
    await focusIs(a, "Bob", "camera");

    await a.reload();
    await a.locator(".meeting").waitFor({ timeout: 20_000 });
    assert.equal(await a.getByTestId("toggle-view").getAttribute("aria-pressed"), "true", "speaker view is remembered");
    await focusIs(a, "Bob");
    assert.deepEqual([...a.errors, ...b.errors, ...c.errors], []);
  });
});
