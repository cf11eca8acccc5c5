// Raised hands and reactions, seen by everyone in the room through the server and LiveKit.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APP_URL, createRoom, enter, launchBrowser, person, screenshot } from "./helpers.mjs";

/** Enters a room created through the API as its owner (this browser holds the host key). */
async function enterAsHost(page, room, hostKey, name) {
  await page.goto(APP_URL);
  await page.evaluate(([id, key]) => localStorage.setItem(`meet.hostKey.${id}`, key), [room.id, hostKey]);
  await enter(page, `${APP_URL}/r/${room.id}`, name);
}

/** Waits until the page lists exactly these raised hands, in this order. */
async function seesHands(page, names) {
  await page.waitForFunction(
    (expected) => {
      const listed = [...document.querySelectorAll('[data-testid="raised-hand"]')].map((li) => li.dataset.name);
      return JSON.stringify(listed) === JSON.stringify(expected);
    },
    names,
    { timeout: 15_000 },
  );
}

function tileOf(page, name) {
  return page.locator(".tile", { has: page.locator(".lk-participant-name", { hasText: name }) });
}

describe("raised hands and reactions", () => {
  let browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => await browser?.close());

  it("hands show in the order raised, for a latecomer and after a reload, until a host lowers them all", async () => {
    const { room, host_key } = await createRoom({ max_participants: 5 });
    const url = `${APP_URL}/r/${room.id}`;
    const [h, a, b, c] = await Promise.all(["H", "A", "B", "C"].map((label) => person(browser, label)));
    await enterAsHost(h, room, host_key, "Hannah");
    await enter(a, url, "Alice");
    await enter(b, url, "Bob");

    // Bob's page has the current hands, so what follows is news to it.
    await b.locator('[data-testid="toggle-hand"][data-loaded="true"]').waitFor({ timeout: 15_000 });
    await a.getByTestId("toggle-hand").click();
    await a.getByTestId("toggle-hand").and(a.locator('[aria-pressed="true"]')).waitFor();
    // Screen readers hear it too.
    await b.getByTestId("announcer").filter({ hasText: "Alice raised their hand" }).waitFor({ state: "attached", timeout: 10_000 });
    await b.getByTestId("toggle-hand").click();
    await b.getByTestId("participants-tab").click();
    await seesHands(b, ["Alice", "Bob"]);
    await tileOf(b, "Alice").getByTestId("hand-badge").filter({ hasText: "1" }).waitFor();

    await enter(c, url, "Carol");
    await b.getByTestId("announcer").filter({ hasText: "Carol joined" }).waitFor({ state: "attached", timeout: 10_000 });
    await c.getByTestId("participants-tab").click();
    await seesHands(c, ["Alice", "Bob"]);
    await tileOf(c, "Bob").getByTestId("hand-badge").filter({ hasText: "2" }).waitFor();
    await screenshot(c, "20-raised-hands");

    await b.reload();
    await b.locator(".meeting").waitFor({ timeout: 20_000 });
    await b.getByTestId("participants-tab").click();
    await seesHands(b, ["Alice", "Bob"]);
    assert.equal(await b.getByTestId("toggle-hand").getAttribute("aria-pressed"), "true", "Bob's hand is still up");

    await h.getByTestId("participants-tab").click();
    await seesHands(h, ["Alice", "Bob"]);
    await h.getByTestId("lower-all-hands").click();
    await Promise.all([a, b, c, h].map((page) => seesHands(page, [])));
    await a.getByTestId("toggle-hand").and(a.locator('[aria-pressed="false"]')).waitFor();
    assert.equal(await c.getByTestId("hand-badge").count(), 0);
    assert.deepEqual([...h.errors, ...a.errors, ...b.errors, ...c.errors], []);
  });

  it("a reaction floats over its sender's tile on the others' pages", async () => {
    const { room } = await createRoom({ max_participants: 5 });
    const url = `${APP_URL}/r/${room.id}`;
    const [a, b] = await Promise.all([person(browser, "A"), person(browser, "B")]);
    await enter(a, url, "Alice");
    await enter(b, url, "Bob");
    await tileOf(b, "Alice").waitFor({ timeout: 15_000 });

    await a.getByTestId("reactions").click();
    await a.getByRole("button", { name: "Applause" }).click();
    await tileOf(b, "Alice").getByTestId("reaction").filter({ hasText: "👏" }).waitFor({ timeout: 10_000 });
    await screenshot(b, "21-reaction");
    // It goes away by itself.
    await tileOf(b, "Alice").getByTestId("reaction").waitFor({ state: "detached", timeout: 10_000 });
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});
