// The quality setting's values, apart from what applies them (quality.ts), so that the start
// page, which remembers the choice, does not load LiveKit's client.
export const QUALITIES = ["auto", "saver", "audio"] as const;
export type Quality = (typeof QUALITIES)[number];

export function isQuality(value: unknown): value is Quality {
  return (QUALITIES as readonly unknown[]).includes(value);
}
