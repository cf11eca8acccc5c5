// LiveKit's components draw some buttons as bare icons (the grid's page buttons, a tile's pin
// button) and render them on their own schedule: a tile draws its pin button when its track
// arrives, without the enclosing component rendering again. So the names are set whenever such
// a button enters the element, not only when our component renders.
import { useLayoutEffect, type RefObject } from "react";

/** Names the buttons matching `selector` inside `root` in order, the last name serving any
 * further button, now and whenever the element's content changes. */
export function useButtonNames(root: RefObject<HTMLElement | null>, selector: string, names: string[]) {
  const key = names.join("\n");
  // Before the browser gets a turn: a passive effect runs up to a frame after the button is in
  // the page, and an audit or a screen reader that looks in between finds it without a name.
  useLayoutEffect(() => {
    const element = root.current;
    if (!element) return;
    const wanted = key.split("\n");
    const name = () =>
      element.querySelectorAll(selector).forEach((button, index) => {
        const label = wanted[Math.min(index, wanted.length - 1)];
        if (button.getAttribute("aria-label") !== label) button.setAttribute("aria-label", label);
      });
    name();
    // Setting a name is an attribute change, which this observer does not watch: no loop.
    const observer = new MutationObserver(name);
    observer.observe(element, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [root, selector, key]);
}
