// The quality setting, in the pre-join screen and in the meeting's controls.
import { useI18n, type MessageKey } from "../i18n";
import { isQuality, QUALITIES, type Quality } from "../quality/setting";

const QUALITY_LABEL: Record<Quality, MessageKey> = { auto: "qualityAuto", saver: "qualitySaver", audio: "qualityAudio" };

export function QualitySelect({ quality, onChange }: { quality: Quality; onChange: (quality: Quality) => void }) {
  const { t } = useI18n();
  return (
    <label className="quality">
      {t("quality")}{" "}
      <select value={quality} onChange={(e) => isQuality(e.target.value) && onChange(e.target.value)} data-testid="quality">
        {QUALITIES.map((option) => (
          <option key={option} value={option}>
            {t(QUALITY_LABEL[option])}
          </option>
        ))}
      </select>
    </label>
  );
}
