// Two screens: the start page, and a room at /r/{id}. Navigation is plain history.pushState.
import { lazy, Suspense, useEffect, useState } from "react";
import { LanguageSwitch } from "./components/LanguageSwitch";
import { navigate, roomFromPath } from "./links";
import { Home } from "./pages/Home";

// The meeting code (LiveKit's client and components) loads only when a room is opened,
// so the start page stays small.
const RoomPage = lazy(() => import("./pages/RoomPage").then((m) => ({ default: m.RoomPage })));

export function App() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const roomId = roomFromPath(path);
  return (
    <div className="app" data-lk-theme="default">
      <header className="topbar">
        <a href="/" className="brand" onClick={(e) => (e.preventDefault(), navigate("/"))}>
          Meet
        </a>
        <LanguageSwitch />
      </header>
      <main className="content">
        <Suspense fallback={<p className="status">…</p>}>{roomId ? <RoomPage key={roomId} roomId={roomId} /> : <Home />}</Suspense>
      </main>
    </div>
  );
}
