// Listens for the meeting's keyboard shortcuts while the meeting is on screen.
import { useEffect, useRef } from "react";
import { shortcutFor, type Shortcut } from "./shortcuts";

/** Listens unless `enabled` is off (single-key shortcuts can be turned off, WCAG 2.1.4). */
export function useShortcuts(handlers: Record<Shortcut, () => void>, enabled: boolean) {
  // The latest handlers, without adding and removing the listener on every render.
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      const { key, shiftKey, ctrlKey, metaKey, altKey, target } = event;
      const shortcut = shortcutFor({ key, shiftKey, ctrlKey, metaKey, altKey, target });
      // An open dialog has the keyboard: nothing acts on the meeting behind it.
      if (!shortcut || event.repeat || document.querySelector("dialog[open]")) return;
      event.preventDefault();
      current.current[shortcut]();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);
}
