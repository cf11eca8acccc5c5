// Two screens: the start page, and a room at /r/{id}. Navigation is plain history.pushState.
import { useEffect, useState } from "react";
import { LanguageSwitch } from "./components/LanguageSwitch";
import { roomFromPath } from "./links";
import { Home } from "./pages/Home";
import { RoomPage } from "./pages/RoomPage";

export function navigate(path: string) {
  history.pushState(null, "", path);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

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
      <main className="content">{roomId ? <RoomPage key={roomId} roomId={roomId} /> : <Home />}</main>
    </div>
  );
}
