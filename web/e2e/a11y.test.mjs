// An automated accessibility audit (axe-core) of every screen: the start page, the pre-join
// screen, the room, the chat, the participant list, the lobby, the settings and shortcut
// dialogs, the connection check, and an encrypted meeting's pre-join and missing-key pages.
// Serious and critical violations fail the test; the rest are printed.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import { APP_URL, createRoom, launchBrowser, person, screenshot } from "./helpers.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe on the page as it is now; answers the serious and critical violations. */
async function audit(page, screen) {
  // Evaluated through the debugging protocol, which the page's CSP does not govern.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  });
  for (const v of violations) console.log(`# a11y ${screen}: ${v.impact} ${v.id} ${JSON.stringify(v.nodes)}`);
  console.log(`# a11y ${screen}: ${violations.length} violations, ${violations.filter(severe).length} serious or critical`);
  return violations.filter(severe);
}

const severe = (v) => v.impact === "serious" || v.impact === "critical";

describe("accessibility", () => {
  let browser, host, guest;
  before(async () => {
    browser = await launchBrowser();
    host = await person(browser, "host");
    guest = await person(browser, "guest");
  });
  after(async () => await browser?.close());

  it("no serious or critical violation on any screen", async () => {
    const found = {};
    await host.goto(APP_URL);
    await host.getByLabel("Meeting title").fill("Accessible meeting");
    found.start = await audit(host, "start page");

    await host.getByLabel("Waiting room").check();
    await host.getByRole("button", { name: "Create meeting" }).click();
    const url = await host.getByTestId("join-url").textContent();
    await host.getByRole("button", { name: "Enter the meeting" }).click();
    await host.getByLabel("Your name").waitFor();
    found.prejoin = await audit(host, "pre-join");
    await host.getByLabel("Your name").fill("Hannah");
    await host.getByTestId("join").click();
    await host.locator(".meeting").waitFor();
    await host.locator(".lk-participant-tile").first().waitFor();
    found.room = await audit(host, "room and chat");

    await guest.goto(url);
    await guest.getByLabel("Your name").fill("Gary");
    await guest.getByTestId("join").click();
    await guest.getByTestId("waiting").waitFor();
    found.waiting = await audit(guest, "waiting");
    await host.getByTestId("lobby-count").waitFor({ timeout: 10_000 });
    await host.getByTestId("lobby-tab").click();
    await host.locator('[data-testid="waiting-guest"]').first().waitFor();
    found.lobby = await audit(host, "lobby");

    await host.getByRole("button", { name: "Admit" }).first().click();
    await guest.locator(".meeting").waitFor({ timeout: 10_000 });
    await host.getByTestId("participants-tab").click();
    await host.getByTestId("participant").nth(1).waitFor();
    found.participants = await audit(host, "participants");

    // The meeting's newer parts: a raised hand (badge and list), the reaction picker, speaker view.
    await guest.getByTestId("toggle-hand").click();
    await host.getByTestId("raised-hand").waitFor({ timeout: 10_000 });
    await host.getByTestId("reactions").click();
    await host.getByTestId("toggle-view").click();
    found.hands = await audit(host, "hands, reactions, speaker view");
    await host.getByTestId("shortcuts").click();
    await host.getByRole("dialog").waitFor();
    found.shortcuts = await audit(host, "keyboard shortcuts");
    await host.getByTestId("shortcut-help-close").click();
    await host.getByTestId("settings").click();
    await host.getByTestId("settings-dialog").waitFor();
    found.settings = await audit(host, "settings");
    await screenshot(host, "32-settings");
    await host.getByTestId("settings-dialog-close").click();

    // The connection check's results (every step passes here: no advice is shown).
    await guest.getByTestId("leave").click();
    await guest.goto(url);
    await guest.getByTestId("check-connection").click();
    await guest.getByTestId("check-summary").waitFor({ timeout: 90_000 });
    found.connectionCheck = await audit(guest, "connection check");

    // An encrypted meeting: its pre-join screen, marked, and the page for a link without the key.
    const { room: encrypted } = await createRoom({ e2ee: true });
    await guest.goto(`${APP_URL}/r/${encrypted.id}#${"k".repeat(43)}`);
    await guest.getByTestId("e2ee-badge").waitFor();
    found.encryptedPrejoin = await audit(guest, "encrypted pre-join");
    await guest.goto(`${APP_URL}/r/${encrypted.id}`);
    await guest.locator('[data-testid="notice"][data-message="e2eeNeedKey"]').waitFor();
    found.encryptedNoKey = await audit(guest, "encrypted, no key");

    assert.deepEqual(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length > 0)), {});
  });
});
