// What people see when they cannot get in.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APP_URL, createRoom, enter, launchBrowser, person, screenshot } from "./helpers.mjs";

describe("refusals people understand", () => {
  let browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => await browser?.close());

  it("a third browser in a room for two is told the room is full", async () => {
    const { room } = await createRoom({ max_participants: 2 });
    const url = `${APP_URL}/r/${room.id}`;
    const [a, b, c] = await Promise.all(["A", "B", "C"].map((label) => person(browser, label)));
    await enter(a, url, "Alice");
    await enter(b, url, "Bob");

    await c.goto(url);
    await c.getByLabel("Your name").fill("Carol");
    await c.getByTestId("join").click();
    const notice = c.getByTestId("notice");
    await notice.waitFor();
    assert.equal(await notice.getAttribute("data-message"), "roomFull");
    assert.match(await notice.textContent(), /This meeting is full/);
    await screenshot(c, "5-room-full");
  });

  it("a link to a room that does not exist says so", async () => {
    const page = await person(browser, "D");
    await page.goto(`${APP_URL}/r/zzz-zzzz-zzz`);
    await page.getByTestId("notice").waitFor();
    assert.match(await page.getByTestId("notice").textContent(), /does not exist/);
  });

  it("the page switches to Russian", async () => {
    const page = await person(browser, "R");
    await page.goto(APP_URL);
    await page.getByLabel("Language").selectOption("ru");
    await page.getByRole("button", { name: "Создать встречу" }).waitFor();
  });
});

describe("pre-join", () => {
  let browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => await browser?.close());

  it("shows a live camera preview and a moving microphone level", async () => {
    const { room } = await createRoom();
    const page = await person(browser, "P");
    await page.goto(`${APP_URL}/r/${room.id}`);
    await page.waitForFunction(() => {
      const video = document.querySelector(".preview video");
      return video && video.videoWidth > 0 && video.srcObject?.getVideoTracks()[0]?.readyState === "live";
    });
    await page.waitForFunction(() => Number(document.querySelector(".mic-level")?.value) > 0);
    await screenshot(page, "0-prejoin");
    assert.deepEqual(page.errors, []);
  });
});
