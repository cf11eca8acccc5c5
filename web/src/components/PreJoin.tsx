// Before entering: name, camera preview, microphone level, device choice, start muted or not.
import { useMediaDevices, usePreviewTracks } from "@livekit/components-react";
import { Track, type LocalAudioTrack, type LocalVideoTrack } from "livekit-client";
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useI18n, type MessageKey } from "../i18n";
import { ConnectionCheckPanel } from "./ConnectionCheck";
import { EncryptedBadge } from "./EncryptedBadge";
import { useBackground } from "../video/useBackground";
import { BackgroundSelect, NoiseSuppressionCheck, QualitySelect } from "./Settings";
import { levelFromSamples, mediaErrorKey } from "../media";
import { remembered, type MediaChoices } from "../storage";

interface Props {
  title: string;
  /** An end-to-end encrypted meeting, marked as such. */
  encrypted: boolean;
  onJoin: (name: string, choices: MediaChoices) => void;
}

export function PreJoin({ title, encrypted, onJoin }: Props) {
  const { t } = useI18n();
  const [name, setName] = useState(remembered.displayName);
  const [choices, setChoices] = useState<MediaChoices>(remembered.choices);
  const [mediaError, setMediaError] = useState<MessageKey>();
  const update = (patch: Partial<MediaChoices>) => setChoices((c) => ({ ...c, ...patch }));

  const options = useMemo(
    () => ({
      audio: choices.audioEnabled ? { deviceId: choices.audioDeviceId } : false,
      video: choices.videoEnabled ? { deviceId: choices.videoDeviceId } : false,
    }),
    [choices.audioEnabled, choices.audioDeviceId, choices.videoEnabled, choices.videoDeviceId],
  );
  // A stable callback: the hook restarts the camera whenever its arguments change.
  const onMediaError = useCallback((error: Error) => setMediaError(mediaErrorKey(error)), []);
  const tracks = usePreviewTracks(options, onMediaError);
  const video = tracks?.find((track) => track.kind === Track.Kind.Video) as LocalVideoTrack | undefined;
  const audio = tracks?.find((track) => track.kind === Track.Kind.Audio) as LocalAudioTrack | undefined;
  const backgroundFailed = useBackground(video, choices.background);

  const cameras = useMediaDevices({ kind: "videoinput" });
  const microphones = useMediaDevices({ kind: "audioinput" });
  const speakers = useMediaDevices({ kind: "audiooutput" });

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    remembered.setDisplayName(trimmed);
    remembered.setChoices(choices);
    onJoin(trimmed, choices);
  }

  return (
    <form className="prejoin card" onSubmit={submit} aria-labelledby="prejoin-title">
      <h1 id="prejoin-title">{title}</h1>
      {encrypted && <EncryptedBadge />}
      <Preview track={video} />
      <MicLevel track={audio} />
      {mediaError && <p role="alert" className="error" data-testid="media-error">{t(mediaError)}</p>}
      <label>
        {t("displayName")}
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} name="display_name" autoFocus />
      </label>
      <div className="row">
        <label className="check">
          <input type="checkbox" checked={choices.videoEnabled} onChange={(e) => update({ videoEnabled: e.target.checked })} />
          {t("startWithCamera")}
        </label>
        <label className="check">
          <input type="checkbox" checked={choices.audioEnabled} onChange={(e) => update({ audioEnabled: e.target.checked })} />
          {t("startWithMicrophone")}
        </label>
        <NoiseSuppressionCheck on={choices.noiseSuppression} onChange={(noiseSuppression) => update({ noiseSuppression })} />
      </div>
      <DeviceSelect label={t("camera")} devices={cameras} value={choices.videoDeviceId} onChange={(id) => update({ videoDeviceId: id })} />
      <DeviceSelect label={t("microphone")} devices={microphones} value={choices.audioDeviceId} onChange={(id) => update({ audioDeviceId: id })} />
      <DeviceSelect
        label={t("speaker")}
        devices={speakers}
        value={choices.audioOutputDeviceId}
        onChange={(id) => update({ audioOutputDeviceId: id })}
      />
      <BackgroundSelect background={choices.background} onChange={(background) => update({ background })} />
      {backgroundFailed && <p role="alert" className="error">{t("backgroundUnavailable")}</p>}
      <QualitySelect quality={choices.quality} onChange={(quality) => update({ quality })} />
      <button type="submit" data-testid="join">{t("joinMeeting")}</button>
      {/* The check sends this camera and microphone, unencrypted, to a room of its own. */}
      {!encrypted && <ConnectionCheckPanel />}
    </form>
  );
}

function DeviceSelect(props: { label: string; devices: MediaDeviceInfo[]; value: string; onChange: (id: string) => void }) {
  if (props.devices.length === 0) return null;
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.devices.map((device, i) => (
          <option key={device.deviceId || i} value={device.deviceId}>
            {device.label || `${props.label} ${i + 1}`}
          </option>
        ))}
      </select>
    </label>
  );
}

function Preview({ track }: { track?: LocalVideoTrack }) {
  const { t } = useI18n();
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!track || !element) return;
    track.attach(element);
    return () => {
      track.detach(element);
    };
  }, [track]);
  return (
    <div className="preview">
      {track ? <video ref={ref} aria-label={t("preview")} muted playsInline /> : <p>{t("cameraOff")}</p>}
    </div>
  );
}

function MicLevel({ track }: { track?: LocalAudioTrack }) {
  const { t } = useI18n();
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!track) return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(new MediaStream([track.mediaStreamTrack])).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getByteTimeDomainData(samples);
      setLevel(levelFromSamples(samples));
    }, 100);
    return () => {
      clearInterval(timer);
      setLevel(0);
      context.close();
    };
  }, [track]);
  return <meter className="mic-level" aria-label={t("micLevel")} min={0} max={1} value={track ? level : 0} />;
}
