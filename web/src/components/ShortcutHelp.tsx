// The list of keyboard shortcuts, in a modal dialog opened with `?` or from the header.
import { useEffect, useRef } from "react";
import { useI18n } from "../i18n";
import { SHORTCUTS } from "../shortcuts/shortcuts";

interface Props {
  open: boolean;
  onClose: () => void;
  enabled: boolean;
  onEnabled: (on: boolean) => void;
}

export function ShortcutHelp({ open, onClose, enabled, onEnabled }: Props) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="shortcut-help" aria-labelledby="shortcut-help-title" onClose={onClose} data-testid="shortcut-help">
      <h2 id="shortcut-help-title">{t("keyboardShortcuts")}</h2>
      <dl>
        {SHORTCUTS.map(({ shortcut, keys, label }) => (
          <div key={shortcut} className="shortcut">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => onEnabled(e.target.checked)} data-testid="shortcuts-enabled" />
        {t("useShortcuts")}
      </label>
      <button onClick={onClose}>{t("close")}</button>
    </dialog>
  );
}
