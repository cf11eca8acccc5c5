import { describe, expect, it } from "vitest";
import { fill } from "./Announcer";

describe("fill", () => {
  it("replaces each placeholder once, never reading what people typed as a template", () => {
    expect(fill("Message from {name}: {text}", { name: "{text}", text: "$& and $'" })).toBe("Message from {text}: $& and $'");
    expect(fill("{name} joined", {})).toBe("{name} joined");
  });
});
