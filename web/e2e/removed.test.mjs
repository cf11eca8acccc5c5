// A removed person gets nothing back from the meeting, whatever token they hold: the host is
// a real browser running our app, the intruder a real LiveKit client (Python SDK) that
// reconnects with the token the API gave it and with the one LiveKit refreshed for it.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { APP_URL, ARTIFACTS, launchBrowser, participantItem, person } from "./helpers.mjs";

const INTRUDER = new URL("../../tests/e2e/intruder.py", import.meta.url).pathname;

/** The intruder process, answering one parsed JSON line per `next()`. */
function intruder(roomId) {
  const child = spawn("python3", [INTRUDER, APP_URL, roomId], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    async next() {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the intruder exited (${child.exitCode})`);
      return JSON.parse(value);
    },
  };
}

describe("a removed person receives nothing", () => {
  let browser, host, mallory;

  before(async () => {
    browser = await launchBrowser();
    host = await person(browser, "host");
    await host.goto(APP_URL);
    await host.getByLabel("Meeting title").fill("Private meeting");
    await host.getByRole("button", { name: "Create meeting" }).click();
    await host.getByRole("button", { name: "Enter the meeting" }).click();
    await host.getByLabel("Your name").fill("Hannah");
    await host.getByTestId("join").click();
    await host.locator(".meeting").waitFor();
  });
  after(async () => {
    mallory?.child.kill();
    await browser?.close();
  });

  it("a kicked guest reconnecting with its old and its refreshed token gets no track and no data", async () => {
    const roomId = new URL(host.url()).pathname.split("/").pop();
    mallory = intruder(roomId);
    const inside = await mallory.next();
    // Proof that the host's media would reach it: before the kick, it does.
    assert.ok(inside.tracks > 0, "the intruder received the host's tracks while it was admitted");
    assert.ok(inside.refreshed, "LiveKit refreshed the intruder's token");

    await host.getByTestId("participants-tab").click();
    // The window: from the moment the kick request leaves the host's browser until that
    // browser serves Mallory no more (its roster, applied to LiveKit, drops her).
    await host.evaluate((identity) => {
      const meeting = document.querySelector(".meeting");
      new MutationObserver(() => {
        if (!meeting.dataset.roster.split(" ").includes(identity)) window.rosterDroppedAt ??= Date.now();
      }).observe(meeting, { attributes: true, attributeFilter: ["data-roster"] });
    }, inside.identity);
    const kick = host.waitForResponse((response) => response.url().endsWith("/kick"));
    await participantItem(host, "Mallory").getByRole("button", { name: "Remove: Mallory" }).click();
    const sent = (await kick).request().timing().startTime;
    const dropped = await (await host.waitForFunction(() => window.rosterDroppedAt, null, { timeout: 10_000 })).jsonValue();
    const windowMs = Math.round(dropped - sent);
    await host.getByTestId("chat-tab").click();
    mallory.child.stdin.write("attack\n");
    // The host keeps talking in the chat while the intruder tries to listen.
    let done;
    const result = mallory.next().then((line) => (done = line));
    for (let i = 0; !done; i++) {
      await host.getByLabel("Write a message").fill(`secret ${i}`);
      await host.getByRole("button", { name: "Send" }).click();
      await Promise.race([result, new Promise((resolve) => setTimeout(resolve, 1000))]);
    }
    writeFileSync(`${ARTIFACTS}removed.json`, JSON.stringify({ window_ms: windowMs, attempts: done.attempts }, null, 2));
    console.log(`# removal window (kick request sent to roster applied in the host's browser): ${windowMs} ms`);

    assert.equal(done.attempts.length, 6);
    for (const attempt of done.attempts) {
      assert.deepEqual({ ...attempt, connected: undefined }, { token: attempt.token, connected: undefined, tracks: 0, data: 0 }, JSON.stringify(attempt));
    }
    assert.deepEqual(host.errors, []);
  });
});
