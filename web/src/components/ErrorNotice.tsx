import { navigate } from "../links";
import type { ReactNode } from "react";
import { useI18n, type MessageKey } from "../i18n";

interface Props {
  message: MessageKey;
  onRetry?: () => void;
  retryLabel?: MessageKey;
  /** More help under the buttons (the connection check after a failed connection). */
  children?: ReactNode;
}

/** A full-page message instead of a blank screen, with a way out and optionally a retry. */
export function ErrorNotice({ message, onRetry, retryLabel, children }: Props) {
  const { t } = useI18n();
  return (
    <section className="notice" data-testid="notice" data-message={message}>
      <p role="alert">{t(message)}</p>
      <div className="row">
        {onRetry && <button onClick={onRetry}>{t(retryLabel ?? "rejoin")}</button>}
        <button className="secondary" onClick={() => navigate("/")}>
          {t("backHome")}
        </button>
      </div>
      {children}
    </section>
  );
}
