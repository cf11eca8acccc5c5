import { describe, expect, it } from "vitest";
import { EMOJI, SHOWN_MS, parseReaction, showing, withoutShown } from "./reactions";

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const reaction = (id: string, emoji: (typeof EMOJI)[number] = "👍") => ({ participant_id: id, emoji, sent_at: "2026-11-27T10:00:00Z" });

describe("parseReaction", () => {
  it("reads the server's reactions of the fixed set only", () => {
    expect(parseReaction(encode(reaction("a", "🎉")), false)).toEqual(reaction("a", "🎉"));
    expect(parseReaction(encode(reaction("a")), true)).toBeUndefined();
    expect(parseReaction(encode({ ...reaction("a"), emoji: "<img>" }), false)).toBeUndefined();
  });
});

describe("showing", () => {
  it("keeps a reaction for a few seconds and one per person", () => {
    let shown = showing([], reaction("a"), 1, 0);
    shown = showing(shown, reaction("b"), 2, 1000);
    expect(shown.map((s) => s.participant_id)).toEqual(["a", "b"]);
    shown = showing(shown, reaction("a", "😂"), 3, 2000);
    expect(shown.map((s) => [s.participant_id, s.emoji])).toEqual([["b", "👍"], ["a", "😂"]]);
    shown = showing(shown, reaction("c"), 4, 1000 + SHOWN_MS);
    expect(shown.map((s) => s.participant_id)).toEqual(["a", "c"]);
  });
});

describe("withoutShown", () => {
  it("takes off the screen only the reaction whose time ran out", () => {
    const shown = showing(showing([], reaction("a"), 1, 0), reaction("b"), 2, 0);
    expect(withoutShown(shown, 1).map((s) => s.key)).toEqual([2]);
    // A person's newer reaction replaced the old one; the old one's timer leaves it alone.
    const replaced = showing(shown, reaction("a", "🎉"), 3, 1000);
    expect(withoutShown(replaced, 1).map((s) => s.key)).toEqual([2, 3]);
  });
});
