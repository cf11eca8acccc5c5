// The meeting: video grid, controls, participant list and chat, over one LiveKit room.
import {
  ConnectionStateToast,
  LiveKitRoom,
  MediaDeviceMenu,
  RoomAudioRenderer,
  TrackToggle,
  useConnectionQualityIndicator,
  useConnectionState,
  useLocalParticipant,
  useRoomContext,
} from "@livekit/components-react";
import {
  ConnectionError,
  ConnectionQuality,
  ConnectionState,
  DisconnectReason,
  MediaDeviceFailure,
  Room,
  Track,
  type E2EEOptions,
  type LocalVideoTrack,
} from "livekit-client";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { api, isRemoved, type RoomToken } from "../api";
import { useNoiseSuppression } from "../audio/useNoiseSuppression";
import { useChat } from "../chat/useChat";
import type { MeetingKeys } from "../e2ee/keys";
import { frameEncryption } from "../e2ee/media";
import { useUndecryptable } from "../e2ee/useUndecryptable";
import { useHands, type Hands } from "../hands/useHands";
import { useI18n, type MessageKey } from "../i18n";
import { mediaErrorKey } from "../media";
import { applySending, cameraResolution } from "../quality/quality";
import type { Quality } from "../quality/setting";
import { useReactions } from "../reactions/useReactions";
import { useRoster } from "../roster/useRoster";
import { useShortcuts } from "../shortcuts/useShortcuts";
import { deviceError, deviceOfKind, failedStage, report } from "../telemetry/telemetry";
import { useCallTelemetry } from "../telemetry/useCallTelemetry";
import { remembered, type MediaChoices, type StageView } from "../storage";
import { useBackground } from "../video/useBackground";
import { usePauseUnshown } from "../video/usePauseUnshown";
import type { Background } from "../video/setting";
import { Announcer } from "./Announcer";
import { ChatPanel } from "./ChatPanel";
import { CopyButton } from "./CopyButton";
import { EncryptedBadge } from "./EncryptedBadge";
import { HandButton, RaisedHands } from "./Hands";
import { HostControls, LobbyPanel, useIsHost, useLobby } from "./Moderation";
import { ParticipantList } from "./ParticipantList";
import { SettingsDialog } from "./Settings";
import { ReactionPicker } from "./Reactions";
import { ShortcutHelp } from "./ShortcutHelp";
import { Stage, useStageView } from "./Stage";

interface Props {
  roomId: string;
  title: string;
  session: string;
  token: RoomToken;
  identity: string;
  host: boolean;
  locked: boolean;
  choices: MediaChoices;
  /** An end-to-end encrypted meeting's keys (from the link); none for any other meeting. */
  keys?: MeetingKeys;
  onLeave: () => void;
  onConnectionLost: (message: MessageKey, canRetry: boolean) => void;
}

/** Why LiveKit closed the connection, in words; a host's decision cannot be retried. */
async function disconnectMessage(reason: DisconnectReason | undefined, roomId: string, session: string): Promise<[MessageKey, boolean]> {
  if (reason === DisconnectReason.ROOM_DELETED) return ["roomEnded", false];
  if (reason === DisconnectReason.PARTICIPANT_REMOVED) {
    const status = await api.me(roomId, session).then((answer) => answer.body.participant.status, () => "ended");
    if (isRemoved(status)) return [status, false];
    if (status === "ended") return ["roomEnded", false];
  }
  return ["disconnected", true];
}

/** The meeting; an encrypted one once its frame encryption is ready, which nothing is sent
 * without. */
export function Meeting(props: Props) {
  const { t } = useI18n();
  const { keys, onConnectionLost } = props;
  const [encryption, setEncryption] = useState<E2EEOptions>();
  // The page passes a new callback on every render; the worker must not restart for it.
  const lost = useRef(onConnectionLost);
  useEffect(() => {
    lost.current = onConnectionLost;
  });
  const encryptionFailed = useCallback(() => lost.current("e2eeFailed", false), []);
  useEffect(() => {
    if (!keys) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    frameEncryption(keys.media).then(
      (started) => {
        stop = started.stop;
        if (cancelled) stop();
        else setEncryption(started.options);
      },
      encryptionFailed,
    );
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [keys, encryptionFailed]);
  if (keys && !encryption) return <p className="status" aria-live="polite">{t("joining")}</p>;
  return <MeetingRoom {...props} encryption={encryption} onEncryptionFailed={encryptionFailed} />;
}

function MeetingRoom({
  roomId,
  title,
  session,
  token,
  identity,
  host,
  locked,
  choices,
  keys,
  encryption,
  onEncryptionFailed,
  onLeave,
  onConnectionLost,
}: Props & { encryption?: E2EEOptions; onEncryptionFailed: () => void }) {
  const leaving = useRef(false);
  const [mediaError, setMediaError] = useState<MessageKey>();
  const room = useMemo(
    () =>
      new Room({
        encryption,
        adaptiveStream: true,
        dynacast: true,
        publishDefaults: { simulcast: true },
        // RNNoise replaces the browser's own suppression (audio/useNoiseSuppression.ts).
        audioCaptureDefaults: { deviceId: choices.audioDeviceId, noiseSuppression: false },
        videoCaptureDefaults: { deviceId: choices.videoDeviceId, resolution: cameraResolution(choices.quality) },
        audioOutput: { deviceId: choices.audioOutputDeviceId },
      }),
    [choices.audioDeviceId, choices.videoDeviceId, choices.audioOutputDeviceId, choices.quality, encryption],
  );
  // Encryption is switched on before connecting, so that no frame is ever sent in the clear.
  const [ready, setReady] = useState(!encryption);
  useEffect(() => {
    if (!encryption) return;
    room.setE2EEEnabled(true).then(() => setReady(true), onEncryptionFailed);
  }, [room, encryption, onEncryptionFailed]);
  const [quality, setQuality] = useState(choices.quality);
  const roster = useRoster(room, token.roster, identity, roomId, session, quality);
  useCallTelemetry(room);
  usePauseUnshown(room);
  const changeQuality = (next: Quality) => {
    setQuality(next);
    void applySending(room, next).catch(() => undefined);
  };

  return (
    <LiveKitRoom
      className="meeting"
      room={room}
      serverUrl={token.livekit_url}
      token={token.token}
      connect={ready}
      // Tracks are subscribed one by one, only from people on the roster (useRoster).
      connectOptions={{ autoSubscribe: false }}
      data-roster={roster.join(" ")}
      audio={choices.audioEnabled}
      video={choices.videoEnabled && choices.quality !== "audio"}
      onConnected={() => report({ type: "join", outcome: "connected" })}
      onMediaDeviceFailure={(failure, kind) => {
        report(deviceError(failure, deviceOfKind(kind)));
        setMediaError(mediaErrorKey({ name: failure === "PermissionDenied" ? "NotAllowedError" : failure === "NotFound" ? "NotFoundError" : "" }));
      }}
      onDisconnected={(reason) => {
        if (leaving.current || reason === DisconnectReason.CLIENT_INITIATED) return;
        void disconnectMessage(reason, roomId, session).then(([message, canRetry]) => onConnectionLost(message, canRetry));
      }}
      onError={(error) => {
        // Failures to publish once connected come here too (a publish timeout is also a
        // ConnectionError): only a room that never connected is a failed join.
        if (leaving.current || !(error instanceof ConnectionError) || room.state !== ConnectionState.Disconnected) return;
        // A refused token (expired while offline) cannot be fixed by retrying the same one.
        if (error.status === 401) return onConnectionLost("tokenExpired", true);
        report({ type: "join", outcome: "failed" });
        report({ type: "connection_failure", stage: failedStage(error) });
        onConnectionLost("connectFailed", true);
      }}
    >
      <Header title={title} roomId={roomId} fragment={keys?.fragment} />
      <ReconnectingBanner />
      <PoorConnectionBanner />
      {mediaError && <MediaErrorBanner message={mediaError} />}
      <MeetingBody
        roomId={roomId}
        session={session}
        identity={identity}
        initiallyHost={host}
        locked={locked}
        quality={quality}
        onQuality={changeQuality}
        initialNoiseSuppression={choices.noiseSuppression}
        initialBackground={choices.background}
        keys={keys}
        onLeave={() => {
          leaving.current = true;
          onLeave();
        }}
      />
      <RoomAudioRenderer />
      <ConnectionStateToast />
    </LiveKitRoom>
  );
}

/** `fragment`: an encrypted meeting's key, which its invitation carries. */
function Header({ title, roomId, fragment }: { title: string; roomId: string; fragment?: string }) {
  const { t } = useI18n();
  const invite = `${location.origin}/r/${roomId}${fragment ?? ""}`;
  return (
    <div className="meeting-header">
      <h1>{title}</h1>
      {fragment && <EncryptedBadge />}
      <CopyButton text={invite} label={t("inviteLink")} />
    </div>
  );
}

function ReconnectingBanner() {
  const { t } = useI18n();
  const state = useConnectionState();
  if (state !== ConnectionState.Reconnecting && state !== ConnectionState.SignalReconnecting) return null;
  return (
    <p className="banner" role="status" data-testid="reconnecting">
      {t("reconnecting")}
    </p>
  );
}

const POOR_FOR_MS = 3000;

/** One's own connection is poor: say so, and offer what helps most. */
function PoorConnectionBanner() {
  const { t } = useI18n();
  const { localParticipant, isCameraEnabled } = useLocalParticipant();
  const { quality } = useConnectionQualityIndicator({ participant: localParticipant });
  const poor = quality === ConnectionQuality.Poor || quality === ConnectionQuality.Lost;
  // Shown once the connection has stayed poor for a few seconds, so a blip does not flash it.
  const [lasting, setLasting] = useState(false);
  useEffect(() => {
    if (!poor) return;
    const timer = setTimeout(() => setLasting(true), POOR_FOR_MS);
    return () => {
      clearTimeout(timer);
      setLasting(false);
    };
  }, [poor]);
  if (!poor || !lasting) return null;
  return (
    <p className="banner" role="status" data-testid="poor-connection">
      {t("poorConnection")}{" "}
      {isCameraEnabled && (
        <button className="secondary" onClick={() => void localParticipant.setCameraEnabled(false).catch(() => undefined)}>
          {t("turnCameraOff")}
        </button>
      )}
    </p>
  );
}

function MediaErrorBanner({ message }: { message: MessageKey }) {
  const { t } = useI18n();
  return (
    <p className="banner error" role="alert">
      {t(message)}
    </p>
  );
}

interface BodyProps {
  roomId: string;
  session: string;
  identity: string;
  initiallyHost: boolean;
  locked: boolean;
  quality: Quality;
  onQuality: (quality: Quality) => void;
  initialNoiseSuppression: boolean;
  initialBackground: Background;
  keys?: MeetingKeys;
  onLeave: () => void;
}

/** Inside the LiveKit room, where the local role can follow a promotion. */
function MeetingBody(props: BodyProps) {
  const { roomId, session, identity, initiallyHost, locked, quality, onQuality, initialNoiseSuppression, initialBackground, keys, onLeave } =
    props;
  const { t } = useI18n();
  const host = useIsHost(initiallyHost);
  const room = useRoomContext();
  const hands = useHands(room, roomId, session, identity);
  const reactions = useReactions(room, roomId, session);
  const [view, setView] = useStageView();
  const [tab, setTab] = useState<Tab>("chat");
  const [help, setHelp] = useState(false);
  const [shortcutsOn, setShortcutsOn] = useState(remembered.shortcuts);
  const [noiseSuppression, setNoiseSuppression] = useState(initialNoiseSuppression);
  const suppression = useNoiseSuppression(room, noiseSuppression);
  const [background, setBackground] = useState(initialBackground);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const { localParticipant, cameraTrack } = useLocalParticipant();
  const backgroundFailed = useBackground(cameraTrack?.track as LocalVideoTrack | undefined, background);
  const chat = useChat(roomId, session, identity, keys);
  const undecryptable = useUndecryptable(room);
  useShortcuts({
    microphone: () => void localParticipant.setMicrophoneEnabled(!localParticipant.isMicrophoneEnabled).catch(() => undefined),
    camera: () => void localParticipant.setCameraEnabled(!localParticipant.isCameraEnabled).catch(() => undefined),
    hand: () => void hands.toggle().catch(() => undefined),
    chat: () => {
      setTab("chat");
      requestAnimationFrame(() => document.getElementById("chat-input")?.focus());
    },
    leave: onLeave,
    help: () => setHelp(true),
  }, shortcutsOn);
  return (
    <>
      {backgroundFailed && <p className="banner error" role="alert">{t("backgroundUnavailable")}</p>}
      <div className="meeting-body" data-noise-suppression={suppression}>
        <Stage view={view} hands={hands} shown={reactions.shown} receiveVideo={quality !== "audio"} undecryptable={undecryptable} />
        <Sidebar roomId={roomId} session={session} identity={identity} host={host} hands={hands} tab={tab} onTab={setTab} chat={chat} />
      </div>
      <Announcer room={room} hands={hands} messages={chat.messages} historyLoaded={chat.loaded} identity={identity} />
      <SettingsDialog
        open={settingsOpen}
        onClose={() => setSettingsOpen(false)}
        settings={{ quality, background, noiseSuppression }}
        onChange={(change) => {
          remembered.updateChoices(change);
          if (change.quality) onQuality(change.quality);
          if (change.background) setBackground(change.background);
          if (change.noiseSuppression !== undefined) setNoiseSuppression(change.noiseSuppression);
        }}
      />
      <ShortcutHelp
        open={help}
        onClose={() => setHelp(false)}
        enabled={shortcutsOn}
        onEnabled={(on) => {
          remembered.setShortcuts(on);
          setShortcutsOn(on);
        }}
      />
      <Controls onLeave={onLeave}>
        <HandButton hands={hands} />
        <ReactionPicker reactions={reactions} />
        <ViewToggle view={view} onChange={setView} />
        <button className="lk-button" onClick={() => setSettingsOpen(true)} data-testid="settings">
          {t("settings")}
        </button>
        <button className="lk-button" onClick={() => setHelp(true)} data-testid="shortcuts" aria-keyshortcuts="?">
          {t("keyboardShortcuts")}
        </button>
        {host && <HostControls roomId={roomId} session={session} initiallyLocked={locked} />}
      </Controls>
    </>
  );
}

type Tab = "chat" | "participants" | "lobby";

interface SidebarProps {
  roomId: string;
  session: string;
  identity: string;
  host: boolean;
  hands: Hands;
  tab: Tab;
  onTab: (tab: Tab) => void;
  chat: ReturnType<typeof useChat>;
}

function Sidebar({ roomId, session, identity, host, hands, tab, onTab, chat }: SidebarProps) {
  const { t } = useI18n();
  const lobby = useLobby(roomId, session, host);
  // Unread = messages from others that arrived since the chat tab was last left.
  const others = chat.messages.filter((m) => m.sender.identity !== identity).length;
  const [seen, setSeen] = useState(0);
  const unread = tab === "chat" ? 0 : others - seen;
  const show = (next: Tab) => {
    if (tab === "chat") setSeen(others);
    onTab(next);
  };

  return (
    <aside className="sidebar" aria-label={t("chatAndParticipants")} data-history-loaded={chat.loaded}>
      <div role="tablist" className="tabs">
        <button role="tab" aria-selected={tab === "chat"} onClick={() => onTab("chat")} data-testid="chat-tab">
          {t("chat")}
          {unread > 0 && (
            <span className="unread" data-testid="unread" aria-label={`${unread} ${t("unread")}`}>
              {unread}
            </span>
          )}
        </button>
        <button role="tab" aria-selected={tab === "participants"} onClick={() => show("participants")} data-testid="participants-tab">
          {t("participants")}
        </button>
        {host && (
          <button role="tab" aria-selected={tab === "lobby"} onClick={() => show("lobby")} data-testid="lobby-tab">
            {t("lobby")}
            {lobby.waiting.length > 0 && (
              <span className="unread" data-testid="lobby-count">
                {lobby.waiting.length}
              </span>
            )}
          </button>
        )}
      </div>
      {tab === "chat" && (
        <ChatPanel
          messages={chat.messages}
          pending={chat.pending}
          unavailable={chat.unavailable}
          identity={identity}
          onSend={chat.send}
          onRetry={chat.retry}
        />
      )}
      {tab === "participants" && (
        <>
          <RaisedHands hands={hands} host={host} />
          <ParticipantList roomId={roomId} session={session} host={host} />
        </>
      )}
      {tab === "lobby" && host && <LobbyPanel roomId={roomId} session={session} waiting={lobby.waiting} onChange={lobby.reload} />}
    </aside>
  );
}

/** Phones' browsers cannot capture the screen: they have no getDisplayMedia at all. */
const canShareScreen = () => typeof navigator.mediaDevices?.getDisplayMedia === "function";

function Controls({ onLeave, children }: { onLeave: () => void; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="controls" role="toolbar" aria-label={t("meetingControls")}>
      <span className="control-group">
        <TrackToggle source={Track.Source.Microphone} data-testid="toggle-mic">
          {t("microphone")}
        </TrackToggle>
        <MediaDeviceMenu kind="audioinput" aria-label={t("microphone")} />
      </span>
      <span className="control-group">
        <TrackToggle source={Track.Source.Camera} data-testid="toggle-camera">
          {t("camera")}
        </TrackToggle>
        <MediaDeviceMenu kind="videoinput" aria-label={t("camera")} />
      </span>
      {canShareScreen() && (
        <TrackToggle
          source={Track.Source.ScreenShare}
          captureOptions={{ audio: true, selfBrowserSurface: "include" }}
          onDeviceError={(error) => report(deviceError(MediaDeviceFailure.getFailure(error), "screen"))}
          data-testid="toggle-screen"
        >
          {t("shareScreen")}
        </TrackToggle>
      )}
      {children}
      <button className="leave" onClick={onLeave} data-testid="leave">
        {t("leave")}
      </button>
    </div>
  );
}

function ViewToggle({ view, onChange }: { view: StageView; onChange: (view: StageView) => void }) {
  const { t } = useI18n();
  return (
    <button
      className="lk-button"
      aria-pressed={view === "speaker"}
      onClick={() => onChange(view === "speaker" ? "grid" : "speaker")}
      data-testid="toggle-view"
    >
      {t("speakerView")}
    </button>
  );
}
