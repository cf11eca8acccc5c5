// Chat in real time, history for latecomers and after a reload, and text that stays text.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APP_URL, createRoom, enter, launchBrowser, participantCount, person, say, screenshot, seesMessage } from "./helpers.mjs";

describe("chat", () => {
  let browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => await browser?.close());

  it("A and B chat both ways; C sees the history; B reloads and keeps history and slot", async () => {
    const { room } = await createRoom({ max_participants: 5 });
    const url = `${APP_URL}/r/${room.id}`;
    const [a, b, c] = await Promise.all(["A", "B", "C"].map((label) => person(browser, label)));
    await enter(a, url, "Alice");
    await enter(b, url, "Bob");

    // Bob's page has read the history, so what follows is news to it.
    await b.locator('.sidebar[data-history-loaded="true"]').waitFor({ timeout: 15_000 });
    await say(a, "hello from Alice");
    await seesMessage(b, "hello from Alice");
    await b.getByTestId("announcer").filter({ hasText: "Message from Alice: hello from Alice" })
      .waitFor({ state: "attached", timeout: 10_000 });
    await say(b, "hi Alice, Bob here");
    await seesMessage(a, "hi Alice, Bob here");

    await enter(c, url, "Carol");
    await seesMessage(c, "hello from Alice");
    await seesMessage(c, "hi Alice, Bob here");
    assert.equal(await participantCount(room.id), 3);

    await b.reload();
    await b.locator(".meeting").waitFor({ timeout: 20_000 });
    await seesMessage(b, "hello from Alice");
    await seesMessage(b, "hi Alice, Bob here");
    assert.equal(await b.getByTestId("message").count(), 2, "history once, no duplicates");
    assert.equal(await participantCount(room.id), 3, "the reload took no second slot");

    await say(c, "after the reload");
    await seesMessage(b, "after the reload");
    await screenshot(b, "4-chat-after-reload");
    assert.deepEqual([...a.errors, ...b.errors, ...c.errors], []);
  });

  it("markup in a name or a message shows as text and runs nothing", async () => {
    const payload = "<img src=x onerror=alert(1)>";
    const { room } = await createRoom();
    const url = `${APP_URL}/r/${room.id}`;
    const [a, m] = await Promise.all([person(browser, "A"), person(browser, "M")]);
    await enter(a, url, "Alice");
    await enter(m, url, payload);
    await say(m, payload);

    const message = a.getByTestId("message").filter({ hasText: payload });
    await message.waitFor({ timeout: 15_000 });
    assert.equal(await message.locator(".sender").textContent(), payload);
    assert.equal(await message.locator(".text").textContent(), payload);
    assert.equal(await a.locator("main img[src=x]").count(), 0, "no element was created from the markup");
    await a.getByTestId("participants-tab").click();
    await a.locator(`[data-testid="participant"] .name`, { hasText: payload }).waitFor();
    await screenshot(a, "6-markup-as-text");
    assert.deepEqual([...a.dialogs, ...m.dialogs], [], "no script ran");
  });
});
