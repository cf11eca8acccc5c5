// Room links and ids: what people paste, and where the app navigates.

const ROOM_ID = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/;

/** The room id in a pasted link (`…/r/abc-defg-hij`) or a bare id; undefined if neither. */
export function parseRoomLink(input: string): string | undefined {
  const text = input.trim().toLowerCase();
  if (ROOM_ID.test(text)) return text;
  const match = text.match(/\/r\/([a-z]{3}-[a-z]{4}-[a-z]{3})\/?(?:[?#].*)?$/);
  return match?.[1];
}

/** The fragment of a pasted link (`#…`: an encrypted meeting's key), exactly as pasted; "" if
 * there is none. A key is case-sensitive, so it never goes through the lowercasing above. */
export function linkFragment(input: string): string {
  const text = input.trim();
  const at = text.indexOf("#");
  return at < 0 ? "" : text.slice(at);
}

/** The room a path points at (`/r/{id}`), if any. */
export function roomFromPath(pathname: string): string | undefined {
  const match = pathname.match(/^\/r\/([a-z]{3}-[a-z]{4}-[a-z]{3})\/?$/);
  return match?.[1];
}

export function roomPath(roomId: string): string {
  return `/r/${roomId}`;
}

/** Goes to `path` (with a fragment, if any) inside the app (App listens for popstate and shows the matching page). */
export function navigate(path: string) {
  history.pushState(null, "", path);
  window.dispatchEvent(new PopStateEvent("popstate"));
}
