import { useI18n } from "../i18n";

/** Marks an end-to-end encrypted meeting, wherever its title shows. */
export function EncryptedBadge() {
  const { t } = useI18n();
  return (
    <span className="e2ee-badge" data-testid="e2ee-badge">
      <span aria-hidden="true">🔒 </span>
      {t("e2eeBadge")}
    </span>
  );
}
