// W3C trace context for API calls (`traceparent`), so that operators can follow a request, or a
// whole join, through the backend's traces. A call outside any flow starts a trace of its own;
// the calls of one flow (entering a room: join, waiting in the lobby, token) share the trace
// begun when the person clicked Join. The ids are random and say nothing about anyone.

let flow: string | undefined;

function randomHex(bytes: number): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The header for the next API call: a new span in the current flow's trace, or a new trace. */
export function traceparent(): string {
  return `00-${flow ?? randomHex(16)}-${randomHex(8)}-01`;
}

/** Runs `steps` as one traced flow: every API call it makes carries the same trace id. */
export async function traced<T>(steps: () => Promise<T>): Promise<T> {
  flow = randomHex(16);
  try {
    return await steps();
  } finally {
    flow = undefined;
  }
}
