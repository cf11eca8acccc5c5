// Hosts decide who gets in and act on anyone in the room; guests see the outcome in words.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APP_URL, launchBrowser, participantItem, person, screenshot, waitForRemoteVideo } from "./helpers.mjs";

describe("waiting room and moderation", () => {
  let browser, host, guest, url;

  before(async () => {
    browser = await launchBrowser();
    host = await person(browser, "host");
    guest = await person(browser, "guest");
    // The host creates the room with a waiting room, so this browser holds the host key.
    await host.goto(APP_URL);
    await host.getByLabel("Meeting title").fill("Moderated meeting");
    await host.getByLabel("Waiting room").check();
    await host.getByRole("button", { name: "Create meeting" }).click();
    url = await host.getByTestId("join-url").textContent();
    await host.getByRole("button", { name: "Enter the meeting" }).click();
    await host.getByLabel("Your name").fill("Hannah");
    await host.getByTestId("join").click();
    await host.locator(".meeting").waitFor();
  });
  after(async () => await browser?.close());

  it("a guest waits, the host admits, and the guest's video appears for the host", async () => {
    await guest.goto(url);
    await guest.getByLabel("Your name").fill("Gary");
    await guest.getByTestId("join").click();
    await guest.getByTestId("waiting").waitFor();

    await host.getByTestId("lobby-count").waitFor({ timeout: 10_000 });
    await host.getByTestId("lobby-tab").click();
    const entry = host.locator('[data-testid="waiting-guest"][data-name="Gary"]');
    await entry.getByRole("button", { name: "Admit" }).click();

    await guest.locator(".meeting").waitFor({ timeout: 10_000 });
    await waitForRemoteVideo(host);
    await screenshot(host, "7-admitted");
  });

  it("another guest is denied and is told so", async () => {
    const denied = await person(browser, "denied");
    await denied.goto(url);
    await denied.getByLabel("Your name").fill("Dora");
    await denied.getByTestId("join").click();
    await denied.getByTestId("waiting").waitFor();
    await host.locator('[data-testid="waiting-guest"][data-name="Dora"]').getByRole("button", { name: "Deny" }).click();
    const notice = denied.getByTestId("notice");
    await notice.waitFor({ timeout: 10_000 });
    assert.equal(await notice.getAttribute("data-message"), "denied");
    await screenshot(denied, "8-denied");
  });

  it("the host mutes the guest from the participant list and everyone sees it", async () => {
    await host.getByTestId("participants-tab").click();
    const gary = participantItem(host, "Gary");
    await gary.and(host.locator('[data-mic="on"]')).waitFor();
    await gary.getByRole("button", { name: "Mute microphone: Gary" }).click();
    await gary.and(host.locator('[data-mic="off"]')).waitFor({ timeout: 10_000 });
    await guest.getByTestId("participants-tab").click();
    await participantItem(guest, "Gary").and(guest.locator('[data-mic="off"]')).waitFor({ timeout: 10_000 });
  });

  it("the host removes the guest: the guest is told, the tile disappears", async () => {
    await participantItem(host, "Gary").getByRole("button", { name: "Remove: Gary" }).click();
    const notice = guest.getByTestId("notice");
    await notice.waitFor({ timeout: 10_000 });
    assert.equal(await notice.getAttribute("data-message"), "kicked");
    await host.locator('.lk-participant-tile[data-lk-local-participant="false"]').waitFor({ state: "detached", timeout: 10_000 });
    await screenshot(guest, "9-removed");
  });

  it("the host ends the meeting and every page says it ended", async () => {
    const late = await person(browser, "late");
    await late.goto(url);
    await late.getByLabel("Your name").fill("Lena");
    await late.getByTestId("join").click();
    await late.getByTestId("waiting").waitFor();
    await host.getByTestId("lobby-tab").click();
    await host.locator('[data-testid="waiting-guest"][data-name="Lena"]').getByRole("button", { name: "Admit" }).click();
    await late.locator(".meeting").waitFor({ timeout: 10_000 });

    await host.getByTestId("end").click();
    await host.getByTestId("confirm-end").click();
    for (const page of [host, late]) {
      const notice = page.getByTestId("notice");
      await notice.waitFor({ timeout: 10_000 });
      assert.equal(await notice.getAttribute("data-message"), "roomEnded");
    }
    await screenshot(late, "10-ended");
    assert.deepEqual([...host.errors, ...guest.errors, ...late.errors], []);
  });
});
