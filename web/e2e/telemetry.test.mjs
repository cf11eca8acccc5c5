// What browsers tell operators, read where operators read it: the server's metrics. Two people
// meet (both joins connect, both see a first remote frame); a third cannot reach LiveKit (a
// failed join, failed at signalling). Nothing a report carries names the room or the person.
// The API calls carry W3C trace context, one trace from the Join click to the token.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APP_URL, createRoom, enter, launchBrowser, person, waitForRemoteVideo } from "./helpers.mjs";

const METRICS_URL = `http://127.0.0.1:${process.env.METRICS_PORT}/metrics`;

async function scrape() {
  if (!process.env.METRICS_PORT) throw new Error("METRICS_PORT is not set: run the browser tests through `make test`");
  return (await fetch(METRICS_URL)).text();
}

/** The sum of every series of `name` whose labels include `labels`. */
function value(text, name, labels = {}) {
  let total = 0;
  for (const line of text.split("\n")) {
    const match = line.match(/^(\w+)(?:\{(.*)\})? (\S+)$/);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, wanted]) => found[key] === wanted)) total += Number(match[3]);
  }
  return total;
}

/** Waits until each series has grown by at least its amount since `before`. */
async function grown(before, wanted, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const now = await scrape();
    const short = wanted.filter(([name, labels, by]) => value(now, name, labels) < value(before, name, labels) + by);
    if (short.length === 0) return now;
    if (Date.now() > deadline) assert.fail(`not counted: ${JSON.stringify(short)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Every telemetry report the page sends, as parsed JSON. */
function reportsOf(page) {
  const reports = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/api/telemetry")) reports.push(request.postDataJSON());
  });
  return reports;
}

/** The trace id each API call of the page carried in its `traceparent`, by path. */
function traceIdsOf(page) {
  const calls = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (!path.startsWith("/api/")) return;
    const header = request.headers().traceparent ?? "";
    calls.push({ path, trace: /^00-([0-9a-f]{32})-[0-9a-f]{16}-01$/.exec(header)?.[1] });
  });
  return calls;
}

describe("telemetry", () => {
  let browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => await browser?.close());

  it("counts connected joins and the time to a first remote frame, and the reports name nobody", async () => {
    const { room } = await createRoom();
    const url = `${APP_URL}/r/${room.id}`;
    const [a, b] = [await person(browser, "A"), await person(browser, "B")];
    const sent = [...[a, b].map(reportsOf)];
    const calls = traceIdsOf(b);
    const before = await scrape();
    await enter(a, url, "Alice Telemetry");
    await enter(b, url, "Bob Telemetry");
    await Promise.all([waitForRemoteVideo(a), waitForRemoteVideo(b)]);
    const after = await grown(before, [
      ["meet_client_joins_total", { outcome: "connected" }, 2],
      ["meet_client_first_remote_frame_seconds_count", {}, 2],
    ]);
    const seconds = value(after, "meet_client_first_remote_frame_seconds_sum") - value(before, "meet_client_first_remote_frame_seconds_sum");
    assert.ok(seconds > 0 && seconds < 120, `two first frames took ${seconds} s together`);

    const reports = JSON.stringify(sent);
    assert.ok(reports.includes("first_remote_frame"), "the pages sent the reports themselves");
    for (const secret of [room.id, "Alice", "Bob", "Telemetry"]) assert.ok(!reports.includes(secret), `a report carries ${secret}`);

    // Every API call carries trace context; the join and its token share the trace begun at the click.
    assert.ok(calls.length > 0 && calls.every((call) => call.trace), JSON.stringify(calls));
    const trace = (suffix) => calls.find((call) => call.path.endsWith(suffix)).trace;
    assert.equal(trace("/join"), trace("/token"), "one trace from Join to the token");
    assert.notEqual(trace("/telemetry"), trace("/join"), "later calls start traces of their own");
    assert.deepEqual([...a.errors, ...b.errors], []);
  });

  it("counts a join that cannot reach the media server, and where it failed", async () => {
    const { room } = await createRoom();
    const page = await person(browser, "blocked");
    await page.routeWebSocket(/\/rtc/, (socket) => socket.close());
    await page.route(/\/rtc\//, (route) => route.abort("connectionrefused"));
    const before = await scrape();
    await page.goto(`${APP_URL}/r/${room.id}`);
    await page.getByLabel("Your name").fill("Blocked");
    await page.getByTestId("join").click();
    await page.getByTestId("notice").waitFor({ timeout: 60_000 });
    await grown(before, [
      ["meet_client_joins_total", { outcome: "failed" }, 1],
      ["meet_client_connection_failures_total", { stage: "signalling" }, 1],
    ]);
    assert.deepEqual(page.errors, []);
  });
});
