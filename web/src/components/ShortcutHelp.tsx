// The list of keyboard shortcuts, in a modal dialog opened with `?` or from the controls.
import { useI18n } from "../i18n";
import { SHORTCUTS } from "../shortcuts/shortcuts";
import { Modal } from "./Modal";

interface Props {
  open: boolean;
  onClose: () => void;
  enabled: boolean;
  onEnabled: (on: boolean) => void;
}

export function ShortcutHelp({ open, onClose, enabled, onEnabled }: Props) {
  const { t } = useI18n();
  return (
    <Modal open={open} onClose={onClose} title="keyboardShortcuts" testId="shortcut-help">
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
    </Modal>
  );
}
