import { describe, expect, it } from "vitest";
import { traced, traceparent } from "./tracing";

const FORMAT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
const traceOf = (header: string) => FORMAT.exec(header)?.[1];

describe("traceparent", () => {
  it("is a valid W3C header, a new trace for each call outside a flow", () => {
    const [a, b] = [traceparent(), traceparent()];
    expect(a).toMatch(FORMAT);
    expect(traceOf(a)).not.toBe(traceOf(b));
  });

  it("keeps one trace for the calls of a flow, with a new span each, and ends with it", async () => {
    const inside = await traced(async () => [traceparent(), traceparent()]);
    expect(traceOf(inside[0])).toBe(traceOf(inside[1]));
    expect(inside[0]).not.toBe(inside[1]);
    expect(traceOf(traceparent())).not.toBe(traceOf(inside[0]));
  });
});
