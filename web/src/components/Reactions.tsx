// Reactions: a small picker in the controls; what people send floats over their tile (Meeting's Tile).
import { useState } from "react";
import type { Emoji } from "../api";
import { useI18n, type MessageKey } from "../i18n";
import { EMOJI } from "../reactions/reactions";
import type { Reactions } from "../reactions/useReactions";

const NAMES: Record<Emoji, MessageKey> = {
  "👍": "reactThumbsUp",
  "👏": "reactClap",
  "😂": "reactLaugh",
  "❤️": "reactHeart",
  "🎉": "reactParty",
  "😮": "reactSurprised",
};

export function ReactionPicker({ reactions }: { reactions: Reactions }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <span className="control-group reactions-picker">
      <button className="lk-button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="reactions">
        {t("reactions")}
      </button>
      {open && (
        <span role="group" aria-label={t("reactions")} className="reaction-choices">
          {EMOJI.map((emoji) => (
            <button
              key={emoji}
              className="lk-button"
              aria-label={t(NAMES[emoji])}
              onClick={() => void reactions.send(emoji).catch(() => undefined)}
              data-testid={`react-${NAMES[emoji]}`}
            >
              {emoji}
            </button>
          ))}
        </span>
      )}
    </span>
  );
}
