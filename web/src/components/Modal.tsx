// A modal dialog (the browser's own <dialog>: focus kept inside, Escape closes) with a title
// and a close button.
import { useEffect, useId, useRef, type ReactNode } from "react";
import { useI18n, type MessageKey } from "../i18n";

interface Props {
  open: boolean;
  onClose: () => void;
  title: MessageKey;
  testId: string;
  children: ReactNode;
}

export function Modal({ open, onClose, title, testId, children }: Props) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="modal" aria-labelledby={titleId} onClose={onClose} data-testid={testId}>
      <h2 id={titleId}>{t(title)}</h2>
      {children}
      <button onClick={onClose} data-testid={`${testId}-close`}>
        {t("close")}
      </button>
    </dialog>
  );
}
