// The stage: every tile in a grid that pages when tiles would get too small, or one tile large
// beside a strip of the others. What is large: a tile this person pinned, else a screen share,
// else (in speaker view) whoever spoke last. The view is remembered in this browser.
import {
  CarouselLayout,
  ConnectionQualityIndicator,
  FocusToggle,
  isTrackReference,
  ScreenShareIcon,
  VideoTrack,
  FocusLayoutContainer,
  GridLayout,
  LayoutContextProvider,
  ParticipantTile,
  TrackRefContext,
  useCreateLayoutContext,
  usePinnedTracks,
  useSpeakingParticipants,
  useRoomContext,
  useTrackRefContext,
  useTracks,
  type TrackReferenceOrPlaceholder,
} from "@livekit/components-react";
import { Track } from "livekit-client";
import { useMemo, useRef, useState } from "react";
import { queuePlaces } from "../hands/hands";
import type { Hands } from "../hands/useHands";
import { useI18n } from "../i18n";
import type { Shown } from "../reactions/reactions";
import { remembered, type StageView } from "../storage";
import { useButtonNames } from "./useButtonNames";

const key = (track: TrackReferenceOrPlaceholder) => `${track.participant.identity}/${track.source}`;

/** Who of the others spoke last: speaker view keeps them large until someone else speaks. */
function useLastSpeaker(): string | undefined {
  const speaking = useSpeakingParticipants();
  const [last, setLast] = useState<string>();
  const loudest = speaking.find((p) => !p.isLocal);
  // Kept in state (set while rendering, as React allows) so silence keeps the last speaker.
  if (loudest && loudest.identity !== last) setLast(loudest.identity);
  return last;
}

export function useStageView(): [StageView, (view: StageView) => void] {
  const [view, setView] = useState<StageView>(remembered.view);
  return [
    view,
    (next: StageView) => {
      remembered.setView(next);
      setView(next);
    },
  ];
}

interface StageProps {
  view: StageView;
  hands: Hands;
  shown: Shown[];
  /** False in audio only: others' tiles show their placeholder, not a frozen or black video. */
  receiveVideo: boolean;
  /** People whose media this browser cannot decrypt (another key, in an encrypted meeting). */
  undecryptable: ReadonlySet<string>;
}

export function Stage({ view, hands, shown, receiveVideo, undecryptable }: StageProps) {
  const published = useTracks(
    [
      { source: Track.Source.Camera, withPlaceholder: true },
      { source: Track.Source.ScreenShare, withPlaceholder: false },
    ],
    { onlySubscribed: false },
  );
  const tracks = useMemo(
    () =>
      receiveVideo
        ? published
        : published
            .filter((t) => t.participant.isLocal || t.source === Track.Source.Camera)
            .map((t) => (t.participant.isLocal ? t : { participant: t.participant, source: t.source })),
    [published, receiveVideo],
  );
  const layout = useCreateLayoutContext();
  const pinned = usePinnedTracks(layout)[0];
  const lastSpeaker = useLastSpeaker();
  const places = useMemo(() => queuePlaces(hands.list), [hands.list]);

  // Someone else's screen share; one's own would show the screen inside itself.
  const screenShare = tracks.find((t) => t.source === Track.Source.ScreenShare && !t.participant.isLocal);
  const cameras = tracks.filter((t) => t.source === Track.Source.Camera);
  const speaker =
    view === "speaker" && tracks.length > 1
      ? (cameras.find((t) => t.participant.identity === lastSpeaker) ??
        cameras.find((t) => !t.participant.isLocal) ??
        cameras[0])
      : undefined;
  // A pin that no longer names a tile on the stage (its owner left) counts for nothing.
  const pin = pinned && tracks.find((t) => key(t) === key(pinned));
  const focus = pin ?? screenShare ?? speaker;

  // The grid pages when tiles would get too small; LiveKit's page buttons are icons without a
  // name: the first goes back, the second forward.
  const { t } = useI18n();
  const stage = useRef<HTMLDivElement>(null);
  useButtonNames(stage, ".lk-pagination-control button", [t("previousPage"), t("nextPage")]);

  return (
    <LayoutContextProvider value={layout}>
      <div className="stage" ref={stage} data-view={view} data-focus={focus ? key(focus) : ""}>
        {focus ? (
          <FocusLayoutContainer className="stage-focus">
            <CarouselLayout tracks={tracks.filter((t) => key(t) !== key(focus))}>
              <Tile places={places} shown={shown} undecryptable={undecryptable} />
            </CarouselLayout>
            <TrackRefContext.Provider value={focus}>
              <Tile places={places} shown={shown} undecryptable={undecryptable} focused pinned={pin !== undefined} />
            </TrackRefContext.Provider>
          </FocusLayoutContainer>
        ) : (
          <GridLayout tracks={tracks}>
            <Tile places={places} shown={shown} undecryptable={undecryptable} />
          </GridLayout>
        )}
      </div>
    </LayoutContextProvider>
  );
}

/** A participant's tile with their raised hand's place in the queue and their latest reaction. */
interface TileProps {
  places: Map<string, number>;
  shown: Shown[];
  undecryptable: ReadonlySet<string>;
  focused?: boolean;
  /** Large because this person pinned it (its button then unpins). */
  pinned?: boolean;
}

function Tile({ places, shown, undecryptable, focused = false, pinned = false }: TileProps) {
  const { t } = useI18n();
  const track = useTrackRefContext();
  const tile = useRef<HTMLDivElement>(null);
  const name = track.participant.name || track.participant.identity;
  // LiveKit's pin button is an icon without a name.
  useButtonNames(tile, ".lk-focus-toggle-button", [`${t(pinned ? "unpin" : "pin")}: ${name}`]);
  const identity = track.participant.identity;
  // Someone in an encrypted meeting who does not encrypt: not received (roster/useRoster.ts).
  const clear = useRoomContext().isE2EEEnabled && !track.participant.isLocal && track.publication?.isEncrypted === false;
  const camera = track.source === Track.Source.Camera;
  const place = camera ? places.get(identity) : undefined;
  const reaction = camera ? shown.find((s) => s.participant_id === identity) : undefined;
  return (
    <div className="tile" ref={tile} data-identity={identity} data-focused={focused}>
      {camera ? (
        <ParticipantTile trackRef={track} />
      ) : (
        // LiveKit's own screen-share caption is English only ("…'s screen").
        <ParticipantTile trackRef={track}>
          {isTrackReference(track) && <VideoTrack trackRef={track} />}
          <div className="lk-participant-metadata">
            <div className="lk-participant-metadata-item">
              <ScreenShareIcon style={{ marginRight: "0.25rem" }} />
              <span className="lk-participant-name">{t("screenOf").replace("{name}", () => name)}</span>
            </div>
            <ConnectionQualityIndicator className="lk-participant-metadata-item" />
          </div>
          <FocusToggle />
        </ParticipantTile>
      )}
      {clear && (
        <p className="undecryptable" role="status" data-testid="unencrypted">
          {name}: {t("e2eeNotEncrypted")}
        </p>
      )}
      {undecryptable.has(identity) && (
        <p className="undecryptable" role="status" data-testid="undecryptable">
          {name}: {t("e2eeCannotDecrypt")}
        </p>
      )}
      {place !== undefined && (
        <span className="hand-badge" role="img" data-testid="hand-badge" aria-label={`${t("handRaised")}: ${place}`}>
          ✋ {place}
        </span>
      )}
      {reaction && (
        <span key={reaction.key} className="reaction" data-testid="reaction" aria-hidden="true">
          {reaction.emoji}
        </span>
      )}
    </div>
  );
}
