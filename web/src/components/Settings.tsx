// The media settings a person picks in the pre-join screen and again in the meeting (a
// settings dialog): what is sent and received (quality), the camera's background and noise
// suppression.
import { useI18n, type MessageKey } from "../i18n";
import { Modal } from "./Modal";
import { QUALITIES, type Quality } from "../quality/setting";
import { BACKGROUNDS, type Background } from "../video/setting";

interface ChoiceProps<T extends string> {
  label: MessageKey;
  options: readonly T[];
  labels: Record<T, MessageKey>;
  value: T;
  onChange: (value: T) => void;
  testId: string;
}

function ChoiceSelect<T extends string>({ label, options, labels, value, onChange, testId }: ChoiceProps<T>) {
  const { t } = useI18n();
  return (
    <label className="setting">
      {t(label)}{" "}
      <select
        value={value}
        onChange={(e) => {
          const chosen = options.find((option) => option === e.target.value);
          if (chosen) onChange(chosen);
        }}
        data-testid={testId}
      >
        {options.map((option) => (
          <option key={option} value={option}>
            {t(labels[option])}
          </option>
        ))}
      </select>
    </label>
  );
}

const QUALITY_LABELS: Record<Quality, MessageKey> = { auto: "qualityAuto", saver: "qualitySaver", audio: "qualityAudio" };
const BACKGROUND_LABELS: Record<Background, MessageKey> = { none: "backgroundNone", blur: "backgroundBlur", image: "backgroundImage" };

export function QualitySelect({ quality, onChange }: { quality: Quality; onChange: (quality: Quality) => void }) {
  return <ChoiceSelect label="quality" options={QUALITIES} labels={QUALITY_LABELS} value={quality} onChange={onChange} testId="quality" />;
}

export function BackgroundSelect({ background, onChange }: { background: Background; onChange: (background: Background) => void }) {
  return <ChoiceSelect label="background" options={BACKGROUNDS} labels={BACKGROUND_LABELS} value={background} onChange={onChange} testId="background" />;
}

export function NoiseSuppressionCheck({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  const { t } = useI18n();
  return (
    <label className="check">
      <input type="checkbox" checked={on} onChange={(e) => onChange(e.target.checked)} data-testid="noise-suppression" />
      {t("noiseSuppression")}
    </label>
  );
}

export interface MeetingSettings {
  quality: Quality;
  background: Background;
  noiseSuppression: boolean;
}

interface DialogProps {
  open: boolean;
  onClose: () => void;
  settings: MeetingSettings;
  onChange: (change: Partial<MeetingSettings>) => void;
}

export function SettingsDialog({ open, onClose, settings, onChange }: DialogProps) {
  return (
    <Modal open={open} onClose={onClose} title="settings" testId="settings-dialog">
      <QualitySelect quality={settings.quality} onChange={(quality) => onChange({ quality })} />
      <BackgroundSelect background={settings.background} onChange={(background) => onChange({ background })} />
      <NoiseSuppressionCheck on={settings.noiseSuppression} onChange={(noiseSuppression) => onChange({ noiseSuppression })} />
    </Modal>
  );
}
