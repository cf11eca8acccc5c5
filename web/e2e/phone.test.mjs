// On a phone: the meeting fits 390×844 with the controls clear of the video, no screen
// sharing is offered where the browser cannot share, and the app can be installed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_URL, createRoom, enter, launchBrowser, launchWithProfile, person, screenshot, waitForRemoteVideo } from "./helpers.mjs";

async function phone(browser, label) {
  const context = await browser.newContext({
    locale: "en-US",
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  await context.grantPermissions(["camera", "microphone"], { origin: APP_URL });
  // A phone's browser has no screen capture at all.
  await context.addInitScript(() => {
    if (navigator.mediaDevices) delete Object.getPrototypeOf(navigator.mediaDevices).getDisplayMedia;
  });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(`${label}: ${error.message}`));
  return page;
}

function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe("phone", () => {
  let browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => await browser?.close());

  it("fits 390×844 with the controls clear of the video and no screen sharing offered", async () => {
    const { room } = await createRoom();
    const url = `${APP_URL}/r/${room.id}`;
    const [p, desk] = [await phone(browser, "phone"), await person(browser, "desk")];
    await enter(p, url, "Pat");
    await enter(desk, url, "Dana");
    await waitForRemoteVideo(p);
    await screenshot(p, "26-phone");

    assert.equal(await p.getByTestId("toggle-screen").count(), 0, "no screen sharing where the browser cannot");
    assert.equal(await desk.getByTestId("toggle-screen").count(), 1, "a desktop browser still offers it");
    const controls = await p.locator(".controls").boundingBox();
    assert.ok(controls.y + controls.height <= 844 + 1, "the controls are on screen");
    for (const video of await p.locator(".stage video").all()) {
      const box = await video.boundingBox();
      if (box) assert.ok(!overlaps(box, controls), "no video lies under the controls");
    }
    const [width, height] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
    assert.ok(width <= 390, `nothing scrolls sideways (${width}px wide)`);
    assert.ok(height <= 844, `the meeting is one screen high (${height}px)`);
    assert.deepEqual(p.errors, []);
  });

  it("the web app can be installed (Chromium finds no installability error)", async () => {
    // Chromium installs nothing from an incognito window, which every test context is.
    const profile = mkdtempSync(join(tmpdir(), "meet-install-"));
    const context = await launchWithProfile(profile);
    try {
      const page = await context.newPage();
      await page.goto(APP_URL);
      await page.locator("h1, h2").first().waitFor();
      const cdp = await context.newCDPSession(page);
      // Chromium fetches the manifest after the page loads: ask until it has an answer.
      let errors;
      for (let attempt = 0; attempt < 20; attempt++) {
        ({ installabilityErrors: errors } = await cdp.send("Page.getInstallabilityErrors"));
        if (errors.length === 0) break;
        await page.waitForTimeout(500);
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
    const manifest = await (await fetch(`${APP_URL}/manifest.webmanifest`)).json();
    for (const icon of manifest.icons) {
      const response = await fetch(new URL(icon.src, APP_URL));
      assert.equal(response.status, 200, icon.src);
    }
  });
});
