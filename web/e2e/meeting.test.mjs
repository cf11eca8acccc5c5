// Two people meet: video and audio both ways, mute and camera states, screen sharing.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { APP_URL, ARTIFACTS, launchBrowser, participantItem, person, receivesAudio, screenshot, waitForRemoteVideo } from "./helpers.mjs";

describe("a meeting between A and B", () => {
  let browser, a, b;

  before(async () => {
    browser = await launchBrowser();
    a = await person(browser, "A");
    b = await person(browser, "B");
  });
  after(async () => {
    assert.deepEqual([...a.errors, ...b.errors], [], "no uncaught errors in the pages");
    await browser?.close();
  });

  it("A creates a room and B opens the link: each sees and hears the other", async () => {
    await a.goto(APP_URL);
    await a.getByLabel("Meeting title").fill("Design review");
    await a.getByRole("button", { name: "Create meeting" }).click();
    const link = await a.getByTestId("join-url").textContent();
    assert.match(link, /\/r\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    assert.doesNotMatch(link, /[?#]/, "the host key never goes into the link");

    await a.getByRole("button", { name: "Enter the meeting" }).click();
    await a.getByLabel("Your name").fill("Alice");
    await a.getByTestId("join").click();
    await a.locator(".meeting").waitFor();
    await participantListOf(a);
    await participantItem(a, "Alice").locator(".badge").waitFor();

    await b.goto(link);
    await b.getByLabel("Your name").fill("Bob");
    const clicked = Date.now();
    await b.getByTestId("join").click();
    await waitForRemoteVideo(b);
    const joinToFirstFrameMs = Date.now() - clicked;
    writeFileSync(`${ARTIFACTS}metrics.json`, JSON.stringify({ joinToFirstRemoteFrameMs: joinToFirstFrameMs }, null, 2));
    console.log(`join click to first remote frame: ${joinToFirstFrameMs} ms`);

    await waitForRemoteVideo(a);
    await receivesAudio(a);
    await receivesAudio(b);
    await screenshot(a, "1-meeting-a");
    await screenshot(b, "1-meeting-b");
  });

  it("B mutes and turns the camera off; A sees both, then sees the video again", async () => {
    await participantListOf(a);
    const bob = participantItem(a, "Bob");
    await bob.and(a.locator('[data-mic="on"][data-camera="on"]')).waitFor();

    await b.getByTestId("toggle-mic").click();
    await b.getByTestId("toggle-camera").click();
    await bob.and(a.locator('[data-mic="off"][data-camera="off"]')).waitFor();
    await screenshot(a, "2-bob-muted");

    await b.getByTestId("toggle-mic").click();
    await b.getByTestId("toggle-camera").click();
    await bob.and(a.locator('[data-mic="on"][data-camera="on"]')).waitFor();
    await waitForRemoteVideo(a);
  });

  it("A shares a screen; B sees a screen-share tile until A stops", async () => {
    const screenTile = b.locator('.lk-participant-tile[data-lk-source="screen_share"]');
    await a.getByTestId("toggle-screen").click();
    await screenTile.waitFor({ timeout: 20_000 });
    await b.waitForFunction(
      () => [...document.querySelectorAll('.lk-participant-tile[data-lk-source="screen_share"] video')].some((v) => v.videoWidth > 0),
      null,
      { timeout: 20_000 },
    );
    await screenshot(b, "3-screen-share");
    await a.getByTestId("toggle-screen").click();
    await screenTile.waitFor({ state: "detached", timeout: 20_000 });
  });
});

async function participantListOf(page) {
  await page.getByTestId("participants-tab").click();
  await page.getByTestId("participants").waitFor();
}
