// Keyboard shortcuts in the meeting, which never fire while someone types in the chat.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APP_URL, createRoom, enter, launchBrowser, person, screenshot } from "./helpers.mjs";

const pressed = (page, testId) => page.getByTestId(testId).getAttribute("aria-pressed");

async function waitPressed(page, testId, value) {
  await page.getByTestId(testId).and(page.locator(`[aria-pressed="${value}"]`)).waitFor({ timeout: 10_000 });
}

describe("keyboard shortcuts", () => {
  let browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => await browser?.close());

  it("M, V, R, C, ? and Shift+L work, and typing in the chat triggers none of them", async () => {
    const { room } = await createRoom();
    const a = await person(browser, "A");
    await enter(a, `${APP_URL}/r/${room.id}`, "Alice");
    await waitPressed(a, "toggle-mic", "true");
    await a.locator("body").click({ position: { x: 5, y: 5 } });

    await a.keyboard.press("m");
    await waitPressed(a, "toggle-mic", "false");
    await a.keyboard.press("v");
    await waitPressed(a, "toggle-camera", "false");
    await a.keyboard.press("r");
    await waitPressed(a, "toggle-hand", "true");

    await a.keyboard.press("?");
    await a.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
    await screenshot(a, "25-shortcuts");
    // With the dialog open, keys act on the dialog, not on the meeting behind it.
    await a.keyboard.press("r");
    await a.waitForTimeout(300);
    assert.equal(await pressed(a, "toggle-hand"), "true");
    // Single-key shortcuts can be turned off (WCAG 2.1.4), and on again.
    await a.getByTestId("shortcuts-enabled").uncheck();
    await a.keyboard.press("Escape");
    await a.getByRole("dialog").waitFor({ state: "hidden" });
    await a.locator("body").click({ position: { x: 5, y: 5 } });
    await a.keyboard.press("r");
    await a.waitForTimeout(300);
    assert.equal(await pressed(a, "toggle-hand"), "true", "off means off");
    await a.getByTestId("shortcuts").click();
    await a.getByTestId("shortcuts-enabled").check();
    await a.keyboard.press("Escape");
    await a.getByRole("dialog").waitFor({ state: "hidden" });

    await a.keyboard.press("c");
    await a.waitForFunction(() => document.activeElement?.id === "chat-input");
    await a.keyboard.type("mvr? c");
    assert.equal(await a.locator("#chat-input").inputValue(), "mvr? c");
    assert.equal(await pressed(a, "toggle-mic"), "false", "typing m did not touch the microphone");
    assert.equal(await pressed(a, "toggle-hand"), "true", "typing r did not lower the hand");

    await a.locator("body").click({ position: { x: 5, y: 5 } });
    await a.keyboard.press("Shift+L");
    await a.getByTestId("notice").waitFor({ timeout: 10_000 });
    assert.equal(await a.getByTestId("notice").getAttribute("data-message"), "left");
    assert.deepEqual(a.errors, []);
  });
});
