// The connection check runs the real path from this browser to the local LiveKit, and when
// LiveKit's port cannot be reached, a failed join offers the check, which names the step.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APP_URL, createRoom, launchBrowser, person, screenshot } from "./helpers.mjs";

const CHECK_TIMEOUT = 90_000;

async function outcomes(page) {
  return page.locator(".check-steps li").evaluateAll((items) => Object.fromEntries(items.map((li) => [li.dataset.step, li.dataset.outcome])));
}

async function runCheck(page) {
  await page.getByTestId("check-connection").click();
  const summary = page.getByTestId("check-summary");
  await summary.waitFor({ timeout: CHECK_TIMEOUT });
  return { passed: (await summary.getAttribute("data-passed")) === "true", steps: await outcomes(page) };
}

/** Makes LiveKit unreachable from this page, as a firewall would: its signalling WebSocket is
 * closed before it connects and its HTTP endpoint (livekit-client asks it why) is refused. */
async function unreachableLiveKit(page) {
  await page.routeWebSocket(/\/rtc/, (socket) => socket.close());
  await page.route(/\/rtc\//, (route) => route.abort("connectionrefused"));
}

describe("connection check", () => {
  let browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => await browser?.close());

  it("passes against the local stack and says what this server does not offer", async () => {
    const { room } = await createRoom();
    const page = await person(browser, "checker");
    await page.goto(`${APP_URL}/r/${room.id}`);
    const { passed, steps } = await runCheck(page);
    await screenshot(page, "27-connection-check");
    assert.deepEqual(steps, { signalling: "ok", webrtc: "ok", tcp: "skipped", turn: "skipped", audio: "ok", video: "ok" });
    assert.ok(passed);
    assert.match(await page.getByTestId("check-summary").innerText(), /Everything works/);
    assert.deepEqual(page.errors, []);
  });

  it("is offered when a join cannot connect, and names the signalling step when LiveKit's port is unreachable", async () => {
    const { room } = await createRoom();
    const page = await person(browser, "blocked");
    await unreachableLiveKit(page);
    await page.goto(`${APP_URL}/r/${room.id}`);
    await page.getByLabel("Your name").fill("Blocked");
    await page.getByTestId("join").click();
    const notice = page.getByTestId("notice");
    await notice.waitFor({ timeout: 60_000 });
    assert.equal(await notice.getAttribute("data-message"), "connectFailed");
    const { passed, steps } = await runCheck(notice);
    await screenshot(page, "28-connection-check-failed");
    assert.equal(passed, false);
    assert.deepEqual(steps, { signalling: "failed", webrtc: "notRun", tcp: "notRun", turn: "notRun", audio: "notRun", video: "notRun" });
    assert.match(await notice.locator('li[data-step="signalling"]').innerText(), /cannot reach the meeting server/);
    assert.deepEqual(page.errors, []);
  });
});
