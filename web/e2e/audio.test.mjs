// Noise suppression, heard from the other side. A's fake microphone plays a sentence over
// steady white noise, then the noise alone (fixtures/speech-in-noise.wav). With suppression on
// (the default) B still hears the voice but no longer the noise; off, B hears both. The choice
// is remembered.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APP_URL, createRoom, inSettings, launchBrowser, person, receivedAudioLevels, receivesAudio } from "./helpers.mjs";

const MICROPHONE = new URL("./fixtures/speech-in-noise.wav", import.meta.url).pathname;
/** One loop of the fixture and a little more. */
const LISTEN_MS = 10_000;

const voice = (levels) => percentile(levels, 90);

function percentile(values, p) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

describe("noise suppression", () => {
  let browser;
  before(async () => (browser = await launchBrowser([`--use-file-for-fake-audio-capture=${MICROPHONE}`])));
  after(async () => await browser?.close());

  it("is on by default, removes the noise and keeps the voice, can be switched off and is remembered", async () => {
    const { room } = await createRoom();
    const url = `${APP_URL}/r/${room.id}`;
    const [a, b] = [await person(browser, "A"), await person(browser, "B")];
    await a.goto(url);
    assert.equal(await a.getByTestId("noise-suppression").isChecked(), true, "on by default");
    await a.getByLabel("Your name").fill("Ann");
    await a.getByTestId("join").click();
    await b.goto(url);
    await b.getByLabel("Your name").fill("Bob");
    await b.getByTestId("join").click();
    await receivesAudio(b);
    // B is silent to A: B's own microphone is off.
    await b.getByTestId("toggle-mic").click();
    await inSettings(a, async (d) => assert.equal(await d.getByTestId("noise-suppression").isChecked(), true, "on in the meeting"));
    // RNNoise itself runs (not the browser's lighter suppression standing in for it).
    await a.locator('.meeting-body[data-noise-suppression="rnnoise"]').waitFor();

    await b.waitForTimeout(1500);
    const suppressed = await receivedAudioLevels(b, LISTEN_MS);
    await inSettings(a, (d) => d.getByTestId("noise-suppression").uncheck());
    await b.waitForTimeout(1500);
    const plain = await receivedAudioLevels(b, LISTEN_MS);

    await inSettings(a, (d) => d.getByTestId("noise-suppression").check());
    // The microphone changes device while RNNoise runs: it is restarted on the new one, and
    // B still hears A (percentile 90 is the voice).
    // The menu lists the devices once the browser has enumerated them: wait for the other one,
    // opening the menu again if it came up before the list did (seen once on a busy machine).
    const other = a.locator('.lk-device-menu li[data-lk-active="false"] button').first();
    for (let tries = 0; tries < 3 && !(await other.isVisible()); tries++) {
      if (tries > 0) await a.keyboard.press("Escape");
      await a.locator(".control-group .lk-button-menu").first().click();
      await other.waitFor({ timeout: 10_000 }).catch(() => undefined);
    }
    assert.ok(await other.isVisible(), "Chromium offers a second fake microphone");
    await other.click();
    await a.keyboard.press("Escape");
    await a.locator('.meeting-body[data-noise-suppression="rnnoise"]').waitFor();
    await b.waitForTimeout(1500);
    const switched = voice(await receivedAudioLevels(b, LISTEN_MS));
    console.log(`# after switching microphones with RNNoise on, B hears A's voice at ${switched.toFixed(4)}`);
    assert.ok(switched > voice(suppressed) / 3, "the voice survives a change of microphone");
    await inSettings(a, (d) => d.getByTestId("noise-suppression").uncheck());

    const [noiseOn, noiseOff] = [percentile(suppressed, 20), percentile(plain, 20)];
    const [voiceOn, voiceOff] = [percentile(suppressed, 90), percentile(plain, 90)];
    console.log(`# B hears A (RMS): noise floor ${noiseOn.toFixed(4)} suppressed vs ${noiseOff.toFixed(4)} plain; voice ${voiceOn.toFixed(4)} vs ${voiceOff.toFixed(4)}`);
    assert.ok(noiseOff > 0.005, `without suppression B hears the noise (${noiseOff})`);
    assert.ok(noiseOn < noiseOff / 20, `suppression removes the noise (${noiseOn} vs ${noiseOff})`);
    assert.ok(voiceOn > voiceOff / 3, `suppression keeps the voice (${voiceOn} vs ${voiceOff})`);

    await a.reload();
    await a.getByTestId("settings").click();
    assert.equal(await a.getByTestId("noise-suppression").isChecked(), false, "remembered as off");
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});
