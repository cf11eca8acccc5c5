// Listens for the meeting's keyboard shortcuts while the meeting is on screen.
import { useEffect, useRef } from "react";
import { shortcutFor, type Shortcut } from "./shortcuts";

export function useShortcuts(handlers: Record<Shortcut, () => void>) {
  // The latest handlers, without adding and removing the listener on every render.
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { key, shiftKey, ctrlKey, metaKey, altKey, target } = event;
      const shortcut = shortcutFor({ key, shiftKey, ctrlKey, metaKey, altKey, target });
      if (!shortcut || event.repeat) return;
      event.preventDefault();
      current.current[shortcut]();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
