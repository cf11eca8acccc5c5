import { describe, expect, it } from "vitest";
import { deriveKeys, fromBase64Url, newMeetingSecret, open, seal, secretFromFragment, toBase64Url } from "./keys";

const ROOM = "abc-defg-hij";

async function keysFor(fragment: string, room = ROOM) {
  const secret = secretFromFragment(fragment);
  if (!secret) throw new Error("no secret");
  return deriveKeys(secret, room);
}

describe("the meeting secret", () => {
  it("is 32 random bytes, 43 characters of base64url, new every time", () => {
    const a = newMeetingSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secretFromFragment(`#${a}`)?.length).toBe(32);
    expect(newMeetingSecret()).not.toBe(a);
  });

  it("is refused when missing, cut short or altered", () => {
    const a = newMeetingSecret();
    for (const bad of ["", "#", `#${a.slice(0, 42)}`, `#${a}x`, `#${a.slice(0, 42)}+`, `#${a.slice(0, 42)}=`]) {
      expect(secretFromFragment(bad)).toBeUndefined();
    }
  });

  it("round-trips through base64url", () => {
    const bytes = Uint8Array.from({ length: 50 }, (_, i) => (i * 97) % 256);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(fromBase64Url("a")).toBeUndefined();
    expect(fromBase64Url("ab+c")).toBeUndefined();
  });
});

describe("chat sealing", () => {
  it("opens with the same link and room, and hides the text", async () => {
    const fragment = newMeetingSecret();
    const sealed = await seal(await keysFor(fragment), "the launch is on 3 March ✨", "p1");
    expect(fromBase64Url(sealed.iv)?.length).toBe(12);
    expect(atob(sealed.ct.replace(/-/g, "+").replace(/_/g, "/"))).not.toContain("launch");
    expect(await open(await keysFor(fragment), sealed, "p1")).toBe("the launch is on 3 March ✨");
  });

  it("uses a new nonce for every message", async () => {
    const keys = await keysFor(newMeetingSecret());
    const [a, b] = [await seal(keys, "same", "p1"), await seal(keys, "same", "p1")];
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
  });

  it("does not open with another link, in another room, from another sender, or once changed", async () => {
    const fragment = newMeetingSecret();
    const sealed = await seal(await keysFor(fragment), "secret", "p1");
    expect(await open(await keysFor(fragment), sealed, "p1")).toBe("secret");
    expect(await open(await keysFor(newMeetingSecret()), sealed, "p1")).toBeUndefined();
    expect(await open(await keysFor(fragment, "zzz-zzzz-zzz"), sealed, "p1")).toBeUndefined();
    expect(await open(await keysFor(fragment), sealed, "p2")).toBeUndefined();
    const flipped = sealed.ct[0] === "A" ? `B${sealed.ct.slice(1)}` : `A${sealed.ct.slice(1)}`;
    expect(await open(await keysFor(fragment), { ...sealed, ct: flipped }, "p1")).toBeUndefined();
    expect(await open(await keysFor(fragment), { ...sealed, iv: "not base64!" }, "p1")).toBeUndefined();
  });

  it("derives media key material apart from the chat key", async () => {
    const fragment = newMeetingSecret();
    const [a, b] = [await keysFor(fragment), await keysFor(fragment, "zzz-zzzz-zzz")];
    expect(new Uint8Array(a.media)).toEqual(new Uint8Array((await keysFor(fragment)).media));
    expect(new Uint8Array(a.media)).not.toEqual(new Uint8Array(b.media));
    expect(a.media.byteLength).toBe(32);
    expect(a.fragment).toBe(`#${fragment}`);
  });
});
