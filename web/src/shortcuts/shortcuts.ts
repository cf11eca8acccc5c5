// Keyboard shortcuts in the meeting. A key counts only when nobody is typing (a text field has
// the focus) and no modifier but Shift is held, so browser and system shortcuts stay theirs.
import type { MessageKey } from "../i18n";

export type Shortcut = "microphone" | "camera" | "hand" | "chat" | "leave" | "help";

/** Each shortcut's key as the help dialog shows it, and what it does, in order. */
export const SHORTCUTS: { shortcut: Shortcut; keys: string; label: MessageKey }[] = [
  { shortcut: "microphone", keys: "M", label: "shortcutMicrophone" },
  { shortcut: "camera", keys: "V", label: "shortcutCamera" },
  { shortcut: "hand", keys: "R", label: "shortcutHand" },
  { shortcut: "chat", keys: "C", label: "shortcutChat" },
  { shortcut: "leave", keys: "Shift + L", label: "shortcutLeave" },
  { shortcut: "help", keys: "?", label: "shortcutHelp" },
];

interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The element with the focus. */
  target: EventTarget | null;
}

function typingInto(target: EventTarget | null): boolean {
  if (typeof HTMLElement === "undefined" || !(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function shortcutFor(press: KeyPress): Shortcut | undefined {
  if (press.ctrlKey || press.metaKey || press.altKey || typingInto(press.target)) return undefined;
  if (press.key === "?") return "help";
  if (press.shiftKey) return press.key === "L" ? "leave" : undefined;
  return ({ m: "microphone", v: "camera", r: "hand", c: "chat" } as const)[press.key.toLowerCase() as "m"];
}
