// A meeting of fifty: one person in Chromium and 49 real LiveKit clients (Python SDK), each
// with a camera. The grid pages its tiles, video reaches only the tiles on the page shown
// (adaptive stream: what is off the page is paused at the server), and the participant list
// holds everyone. How the page copes (frame rate, long tasks, memory) is written to
// artifacts/large-meeting.json for `make bench`.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { APP_URL, ARTIFACTS, createRoom, enter, launchBrowser, person, screenshot, videoBytesReceived, watchPeerConnections } from "./helpers.mjs";

const CROWD = new URL("../../tests/e2e/crowd.py", import.meta.url).pathname;
const OTHERS = 49;

/** The crowd's process: `inside` resolves with its first line, once everyone publishes;
 * `leave` lets them leave LiveKit and waits for the process to end. */
function crowd(roomId) {
  const child = spawn("python3", [CROWD, APP_URL, roomId, String(OTHERS)], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = lines.next().then(async ({ value, done }) => {
    if (done) throw new Error(`the crowd exited (${await exited})`);
    return JSON.parse(value);
  });
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("the crowd was not in within 120 s")), 120_000).unref());
  return {
    inside: Promise.race([first, timeout]),
    async leave() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill(), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Identity → video track id of every remote camera tile the stage shows now. */
function shownTiles(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('.stage .tile .lk-participant-tile[data-lk-local-participant="false"][data-lk-source="camera"]')].map(
        (tile) => [tile.closest(".tile").dataset.identity, tile.querySelector("video")?.srcObject?.getVideoTracks()[0]?.id ?? null],
      ),
    ),
  );
}

/** Video frames each received track got over `ms` (by track id), as WebRTC counts them. */
function framesOver(page, ms) {
  return page.evaluate(async (ms) => {
    const frames = async () => {
      const counts = {};
      for (const pc of window.__peerConnections) {
        if (pc.connectionState === "closed") continue;
        (await pc.getStats()).forEach((s) => {
          if (s.type === "inbound-rtp" && s.kind === "video") counts[s.trackIdentifier] = (counts[s.trackIdentifier] ?? 0) + (s.framesReceived ?? 0);
        });
      }
      return counts;
    };
    const before = await frames();
    await new Promise((resolve) => setTimeout(resolve, ms));
    const now = await frames();
    return Object.fromEntries(Object.entries(now).map(([id, n]) => [id, n - (before[id] ?? 0)]));
  }, ms);
}

/** Waits until every remote camera tile shown plays video. */
async function shownTilesPlay(page) {
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('.stage .lk-participant-tile[data-lk-local-participant="false"][data-lk-source="camera"] video')].every(
        (v) => v.videoWidth > 0 && v.readyState >= 2,
      ),
    null,
    { timeout: 30_000 },
  );
}

/** Which tracks got video frames over three seconds: those of the camera tiles shown, and
 * those of tiles not on the page (which should get none once the server paused them). */
async function whoReceives(page) {
  const shown = await shownTiles(page);
  const received = await framesOver(page, 3000);
  const shownIds = new Set(Object.values(shown));
  return {
    shown,
    silent: Object.entries(shown).filter(([, id]) => !(received[id] > 0)),
    offPage: Object.entries(received).filter(([id, n]) => n > 0 && !shownIds.has(id)),
    receiving: Object.values(received).filter((n) => n > 0).length,
  };
}

/** The tiles shown get video, and within seconds no other track does: two three-second
 * windows in a row. A track sends from its subscription until the page tells the server that
 * its tile is not shown. */
async function onlyShownTilesReceive(page) {
  await shownTilesPlay(page);
  let seen;
  let clean = 0;
  for (const end = Date.now() + 20_000; clean < 2 && Date.now() < end; ) {
    seen = await whoReceives(page);
    clean = seen.silent.length === 0 && seen.offPage.length === 0 ? clean + 1 : 0;
  }
  assert.deepEqual(seen.silent, [], "every camera tile on the page receives frames");
  assert.deepEqual(seen.offPage, [], "no video arrives for a tile that is not on the page");
  assert.equal(clean, 2, "and it stays so");
  return seen;
}

/** Long tasks (main thread busy over 50 ms) from now on, kept in the page. */
function watchLongTasks(page) {
  return page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask" });
  });
}

/** Long tasks since `watchLongTasks` (or the last call): how many, their total and the longest. */
function takeLongTasks(page) {
  return page.evaluate(() => {
    const tasks = window.__longTasks.splice(0);
    return { count: tasks.length, total_ms: Math.round(tasks.reduce((a, b) => a + b, 0)), longest_ms: Math.round(Math.max(0, ...tasks)) };
  });
}

/** Animation frames the page painted per second over `ms`. */
function frameRate(page, ms) {
  return page.evaluate(
    (ms) =>
      new Promise((resolve) => {
        let frames = 0;
        const start = performance.now();
        const tick = (now) => {
          frames++;
          if (now - start < ms) requestAnimationFrame(tick);
          else resolve(Math.round((frames * 10000) / (now - start)) / 10);
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

describe("a meeting of fifty", () => {
  let browser, page, people, cdp;
  const figures = { people: OTHERS + 1 };

  before(async () => {
    browser = await launchBrowser();
    page = await person(browser, "one of fifty");
    await watchPeerConnections(page);
    const { room } = await createRoom({ max_participants: 60 });
    await enter(page, `${APP_URL}/r/${room.id}`, "Chromium");
    cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    // The list open while everyone arrives: the page renders each arrival in it.
    await page.getByTestId("participants-tab").click();
    await watchLongTasks(page);
    const started = Date.now();
    people = crowd(room.id);
    await people.inside;
    figures.everyone_published_at = Date.now();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="participant"]').length === n, OTHERS + 1, { timeout: 60_000 });
    figures.arrival = { seconds: (Date.now() - started) / 1000, long_tasks: await takeLongTasks(page) };
  });
  after(async () => {
    await people?.leave();
    await browser?.close();
  });

  it("pages the tiles, and video flows only to the tiles on the page shown", async () => {
    const pages = page.locator(".stage .lk-pagination-count");
    await pages.waitFor();
    const [, total] = (await pages.textContent()).match(/^1 of (\d+)$/);
    assert.ok(Number(total) >= 2, `fifty tiles take more than one page (${total})`);
    const first = await onlyShownTilesReceive(page);
    // From the moment everyone publishes until only the page's tiles get video (to within
    // the three seconds of a window).
    figures.seconds_until_only_shown_receive = (Date.now() - figures.everyone_published_at) / 1000;
    delete figures.everyone_published_at;
    const perPage = Object.keys(first.shown).length + 1; // and one's own tile
    assert.ok(perPage < OTHERS, `a page holds some of the fifty, not all (${perPage})`);
    await screenshot(page, "large-meeting");

    // Steady state on the first page: what someone in a meeting of fifty lives with.
    await takeLongTasks(page);
    const bytes = await videoBytesReceived(page);
    const [fps, steady] = await Promise.all([frameRate(page, 10_000), framesOver(page, 10_000)]);
    const kbps = Math.round(((await videoBytesReceived(page)) - bytes) * 8 / 10_000);
    const shownIds = new Set(Object.values(first.shown));
    const offPage = Object.entries(steady).filter(([id, n]) => n > 0 && !shownIds.has(id));
    assert.deepEqual(offPage, [], "over ten seconds on the page, no video arrives for a tile off it");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const metric = (name) => metrics.find((m) => m.name === name)?.value;
    figures.grid = {
      tiles_per_page: perPage,
      pages: Number(total),
      video_tracks_receiving: first.receiving,
      video_kbps_received: kbps,
      frames_per_second: fps,
      long_tasks_10s: await takeLongTasks(page),
      js_heap_mb: Math.round(metric("JSHeapUsedSize") / 1e5) / 10,
      dom_nodes: metric("Nodes"),
    };

    await page.getByRole("button", { name: "Next page of people" }).click();
    await page.locator(".stage .lk-pagination-count", { hasText: `2 of ${total}` }).waitFor();
    const second = await onlyShownTilesReceive(page);
    const again = Object.keys(second.shown).filter((identity) => identity in first.shown);
    assert.deepEqual(again, [], "the second page shows other people than the first");
    figures.page_turn_long_tasks = await takeLongTasks(page);
    writeFileSync(`${ARTIFACTS}large-meeting.json`, JSON.stringify(figures, null, 2));
    console.log(`# fifty people: ${perPage} tiles a page over ${total} pages; ${first.receiving} of ${OTHERS} cameras received; ${fps} frames/s; figures in artifacts/large-meeting.json`);
  });

  it("lists all fifty in the participant list, the last one reachable by scrolling", async () => {
    const items = page.getByTestId("participant");
    assert.equal(await items.count(), OTHERS + 1);
    const last = items.last();
    /** Whether the row is drawn on screen: what is at its centre is the row itself (a row that
     * its list clipped away, or that is below the window, is not found there). */
    const inView = () =>
      last.evaluate((row) => {
        const box = row.getBoundingClientRect();
        const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
        const hit = y >= 0 && y < innerHeight ? document.elementFromPoint(x, y) : null;
        return { shown: row.contains(hit), centre: [x, y], hit: hit?.outerHTML.slice(0, 120) ?? null };
      });
    const before = await inView();
    assert.equal(before.shown, false, `fifty rows are more than the list shows at once: ${JSON.stringify(before)}`);
    await last.scrollIntoViewIfNeeded();
    const after = await inView();
    assert.equal(after.shown, true, `the last of the fifty is shown once scrolled to: ${JSON.stringify(after)}`);
    assert.match(await last.textContent(), /Guest \d\d/);
    assert.deepEqual(page.errors, []);
  });
});
