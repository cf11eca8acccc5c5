// Start page: create a meeting (and get its link), or join one by link or id.
import { useState, type FormEvent } from "react";
import { ApiError, api, type CreatedRoom } from "../api";
import { CopyButton } from "../components/CopyButton";
import { newMeetingSecret } from "../e2ee/keys";
import { errorKey, useI18n, type MessageKey } from "../i18n";
import { linkFragment, navigate, parseRoomLink, roomPath } from "../links";
import { remembered } from "../storage";

export function Home() {
  const { t } = useI18n();
  const [title, setTitle] = useState("");
  const [maxParticipants, setMaxParticipants] = useState(10);
  const [waitingRoom, setWaitingRoom] = useState(false);
  const [e2ee, setE2ee] = useState(false);
  const [busy, setBusy] = useState(false);
  /** The new room, and its key as the link's fragment ("" when it is not encrypted). */
  const [created, setCreated] = useState<{ room: CreatedRoom; fragment: string }>();
  const [createError, setCreateError] = useState<MessageKey>();
  const [link, setLink] = useState("");
  const [linkError, setLinkError] = useState<MessageKey>();

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setCreateError(undefined);
    try {
      const room = await api.createRoom({ title, max_participants: maxParticipants, waiting_room: waitingRoom, e2ee });
      remembered.setHostKey(room.room.id, room.host_key);
      // A server that ignored the choice (an older version): no link that looks protected.
      if (e2ee && !room.room.e2ee) return setCreateError("e2eeNotCreated");
      // Made here, after the server answered: the key never goes near it.
      setCreated({ room, fragment: room.room.e2ee ? `#${newMeetingSecret()}` : "" });
    } catch (error) {
      setCreateError(error instanceof ApiError ? errorKey(error.code) : "genericError");
    } finally {
      setBusy(false);
    }
  }

  function join(event: FormEvent) {
    event.preventDefault();
    const roomId = parseRoomLink(link);
    if (roomId) navigate(roomPath(roomId) + linkFragment(link));
    else setLinkError("invalidLink");
  }

  return (
    <div className="home">
      <section className="card">
        <h1>{t("createTitle")}</h1>
        {created ? (
          <div className="created" data-testid="created">
            <p>{t(created.fragment ? "e2eeShareLink" : "shareLink")}</p>
            <p className="share">
              <output data-testid="join-url">{created.room.join_url + created.fragment}</output>
              <CopyButton text={created.room.join_url + created.fragment} label={t("copyLink")} />
            </p>
            <button onClick={() => navigate(roomPath(created.room.room.id) + created.fragment)}>{t("enterAsHost")}</button>
          </div>
        ) : (
          <form onSubmit={create}>
            <label>
              {t("roomTitle")}
              <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={100} name="title" />
            </label>
            <label>
              {t("maxParticipants")}
              <input
                type="number"
                min={2}
                max={500}
                value={maxParticipants}
                onChange={(e) => setMaxParticipants(Number(e.target.value))}
                name="max_participants"
              />
            </label>
            <label className="check">
              <input type="checkbox" checked={waitingRoom} onChange={(e) => setWaitingRoom(e.target.checked)} name="waiting_room" />
              {t("waitingRoom")}
            </label>
            <label className="check">
              <input type="checkbox" checked={e2ee} onChange={(e) => setE2ee(e.target.checked)} name="e2ee" />
              {t("e2eeOption")}
            </label>
            {createError && <p role="alert" className="error">{t(createError)}</p>}
            <button disabled={busy}>{busy ? t("creating") : t("create")}</button>
          </form>
        )}
      </section>
      <section className="card">
        <h2>{t("joinTitle")}</h2>
        <form onSubmit={join}>
          <label>
            {t("linkOrId")}
            <input value={link} onChange={(e) => (setLink(e.target.value), setLinkError(undefined))} required name="link" />
          </label>
          {linkError && <p role="alert" className="error">{t(linkError)}</p>}
          <button>{t("join")}</button>
        </form>
      </section>
    </div>
  );
}
