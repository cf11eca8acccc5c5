import { useI18n, type Language } from "../i18n";

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <label className="language">
      <span className="visually-hidden">{t("language")}</span>
      <select aria-label={t("language")} value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
        <option value="en">English</option>
        <option value="ru">Русский</option>
      </select>
    </label>
  );
}
