// The start page stays small: the meeting's code (LiveKit's client and components, noise
// suppression, background effects) loads only when a room is opened.
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { APP_URL, launchBrowser, person } from "./helpers.mjs";

/** Gzip bytes of the scripts the start page loaded: 78.7 kB when this was written; LiveKit's
 * client alone would add about 130 kB. */
const START_PAGE_BUDGET = 100_000;

describe("bundle size", () => {
  let browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => await browser?.close());

  it("the start page loads no meeting code and stays under its budget", async () => {
    const page = await person(browser, "visitor");
    const scripts = [];
    page.on("response", async (response) => {
      if (response.request().resourceType() === "script") scripts.push(response);
    });
    await page.goto(APP_URL);
    await page.locator("h1, h2").first().waitFor();
    await page.waitForLoadState("networkidle");
    let total = 0;
    for (const response of scripts) {
      const body = await response.body();
      total += gzipSync(body, { level: 9 }).length;
      assert.doesNotMatch(body.toString(), /RTCPeerConnection/, `${response.url()} holds WebRTC code`);
    }
    console.log(`# start page scripts: ${scripts.length} files, ${(total / 1000).toFixed(2)} kB gzip`);
    assert.ok(total > 0 && total <= START_PAGE_BUDGET, `${total} bytes gzip`);
  });
});
