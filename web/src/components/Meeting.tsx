// The meeting: video grid, controls, participant list and chat, over one LiveKit room.
import {
  ConnectionStateToast,
  GridLayout,
  LiveKitRoom,
  MediaDeviceMenu,
  ParticipantTile,
  RoomAudioRenderer,
  TrackToggle,
  useConnectionState,
  useTracks,
} from "@livekit/components-react";
import { ConnectionState, DisconnectReason, Track, type RoomOptions } from "livekit-client";
import { useMemo, useRef, useState } from "react";
import type { RoomToken } from "../api";
import { useChat } from "../chat/useChat";
import { useI18n, type MessageKey } from "../i18n";
import { mediaErrorKey } from "../media";
import type { MediaChoices } from "../storage";
import { ChatPanel } from "./ChatPanel";
import { CopyButton } from "./CopyButton";
import { ParticipantList } from "./ParticipantList";

interface Props {
  roomId: string;
  title: string;
  session: string;
  token: RoomToken;
  identity: string;
  choices: MediaChoices;
  onLeave: () => void;
  onConnectionLost: (message: MessageKey) => void;
}

export function Meeting({ roomId, title, session, token, identity, choices, onLeave, onConnectionLost }: Props) {
  const leaving = useRef(false);
  const [mediaError, setMediaError] = useState<MessageKey>();
  const options = useMemo<RoomOptions>(
    () => ({
      adaptiveStream: true,
      dynacast: true,
      publishDefaults: { simulcast: true },
      audioCaptureDefaults: { deviceId: choices.audioDeviceId },
      videoCaptureDefaults: { deviceId: choices.videoDeviceId },
      audioOutput: { deviceId: choices.audioOutputDeviceId },
    }),
    [choices.audioDeviceId, choices.videoDeviceId, choices.audioOutputDeviceId],
  );

  return (
    <LiveKitRoom
      className="meeting"
      serverUrl={token.livekit_url}
      token={token.token}
      connect
      audio={choices.audioEnabled}
      video={choices.videoEnabled}
      options={options}
      onMediaDeviceFailure={(failure) => setMediaError(mediaErrorKey({ name: failure === "PermissionDenied" ? "NotAllowedError" : failure === "NotFound" ? "NotFoundError" : "" }))}
      onDisconnected={(reason) => {
        if (leaving.current || reason === DisconnectReason.CLIENT_INITIATED) return;
        onConnectionLost("disconnected");
      }}
      onError={(error) => {
        // A refused token (expired while offline) cannot be fixed by retrying the same one.
        if (/401|token/i.test(error.message)) onConnectionLost("tokenExpired");
      }}
    >
      <Header title={title} roomId={roomId} />
      <ReconnectingBanner />
      {mediaError && <MediaErrorBanner message={mediaError} />}
      <div className="meeting-body">
        <Stage />
        <Sidebar roomId={roomId} session={session} identity={identity} />
      </div>
      <Controls
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

function Header({ title, roomId }: { title: string; roomId: string }) {
  const { t } = useI18n();
  return (
    <div className="meeting-header">
      <h1>{title}</h1>
      <CopyButton text={`${location.origin}/r/${roomId}`} label={t("inviteLink")} />
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

function MediaErrorBanner({ message }: { message: MessageKey }) {
  const { t } = useI18n();
  return (
    <p className="banner error" role="alert">
      {t(message)}
    </p>
  );
}

function Stage() {
  const tracks = useTracks(
    [
      { source: Track.Source.Camera, withPlaceholder: true },
      { source: Track.Source.ScreenShare, withPlaceholder: false },
    ],
    { onlySubscribed: false },
  );
  return (
    <GridLayout tracks={tracks} className="stage">
      <ParticipantTile />
    </GridLayout>
  );
}

function Sidebar({ roomId, session, identity }: { roomId: string; session: string; identity: string }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<"chat" | "participants">("chat");
  const chat = useChat(roomId, session);
  // Unread = messages from others that arrived since the chat tab was last left.
  const others = chat.messages.filter((m) => m.sender.identity !== identity).length;
  const [seen, setSeen] = useState(0);
  const unread = tab === "chat" ? 0 : others - seen;
  const showParticipants = () => {
    setSeen(others);
    setTab("participants");
  };

  return (
    <aside className="sidebar">
      <div role="tablist" className="tabs">
        <button role="tab" aria-selected={tab === "chat"} onClick={() => setTab("chat")} data-testid="chat-tab">
          {t("chat")}
          {unread > 0 && (
            <span className="unread" data-testid="unread" aria-label={`${unread} ${t("unread")}`}>
              {unread}
            </span>
          )}
        </button>
        <button role="tab" aria-selected={tab === "participants"} onClick={showParticipants} data-testid="participants-tab">
          {t("participants")}
        </button>
      </div>
      {tab === "chat" ? (
        <ChatPanel
          messages={chat.messages}
          pending={chat.pending}
          unavailable={chat.unavailable}
          identity={identity}
          onSend={chat.send}
          onRetry={chat.retry}
        />
      ) : (
        <ParticipantList />
      )}
    </aside>
  );
}

function Controls({ onLeave }: { onLeave: () => void }) {
  const { t } = useI18n();
  return (
    <div className="controls" role="toolbar" aria-label="Meeting controls">
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
      <TrackToggle source={Track.Source.ScreenShare} captureOptions={{ audio: true, selfBrowserSurface: "include" }} data-testid="toggle-screen">
        {t("shareScreen")}
      </TrackToggle>
      <button className="leave" onClick={onLeave} data-testid="leave">
        {t("leave")}
      </button>
    </div>
  );
}
