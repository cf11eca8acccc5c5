import { useEffect, useRef, useState, type FormEvent } from "react";
import type { Message } from "../api";
import type { PendingMessage } from "../chat/messages";
import { useI18n } from "../i18n";

interface Props {
  messages: Message[];
  pending: PendingMessage[];
  unavailable: boolean;
  identity: string;
  onSend: (text: string) => void;
  onRetry: (message: PendingMessage) => void;
}

/** Names and texts are React text nodes: markup in them is shown, never run. */
export function ChatPanel({ messages, pending, unavailable, identity, onSend, onRetry }: Props) {
  const { t } = useI18n();
  const [draft, setDraft] = useState("");
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: "nearest" });
  }, [messages.length, pending.length]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    onSend(text);
    setDraft("");
  }

  return (
    <section className="chat" aria-label={t("chat")}>
      {unavailable && <p role="status" className="error">{t("chatUnavailable")}</p>}
      <ol ref={list} className="messages" data-testid="messages" aria-live="polite">
        {messages.length === 0 && pending.length === 0 && <li className="empty">{t("noMessages")}</li>}
        {messages.map((m) => (
          <li key={m.id} data-testid="message" data-own={m.sender.identity === identity}>
            <span className="sender">{m.sender.display_name}</span>
            {m.text !== undefined ? (
              <span className="text">{m.text}</span>
            ) : (
              <span className="text unreadable" data-testid="unreadable">
                {t("e2eeUnreadable")}
              </span>
            )}
          </li>
        ))}
        {pending.map((m) => (
          <li key={m.clientId} data-testid="pending-message" data-failed={m.failed} data-own="true">
            <span className="text">{m.text}</span>
            {m.failed ? (
              <span className="error">
                {t("sendFailed")} <button onClick={() => onRetry(m)}>{t("retry")}</button>
              </span>
            ) : (
              <span className="hint">{t("sending")}</span>
            )}
          </li>
        ))}
      </ol>
      <form onSubmit={submit} className="compose">
        <label className="visually-hidden" htmlFor="chat-input">
          {t("messagePlaceholder")}
        </label>
        <input
          id="chat-input"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder={t("messagePlaceholder")}
          maxLength={2000}
          autoComplete="off"
        />
        <button type="submit">{t("send")}</button>
      </form>
    </section>
  );
}
