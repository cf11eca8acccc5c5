// The background setting's values, apart from what applies them (background.ts, loaded only
// when an effect is chosen), so that remembering the choice loads nothing heavy.
export const BACKGROUNDS = ["none", "blur", "image"] as const;
export type Background = (typeof BACKGROUNDS)[number];

export function isBackground(value: unknown): value is Background {
  return (BACKGROUNDS as readonly unknown[]).includes(value);
}
