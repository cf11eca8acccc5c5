// Noise suppression with RNNoise (an open model, running here in an AudioWorklet), as a
// LiveKit audio processor: the microphone goes through it before it is sent. Loaded only when
// someone speaks with it on; the WebAssembly comes from this app, never from a CDN.
import { loadRnnoise, RnnoiseWorkletNode } from "@sapphi-red/web-noise-suppressor";
import simdUrl from "@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?url";
import wasmUrl from "@sapphi-red/web-noise-suppressor/rnnoise.wasm?url";
import workletUrl from "@sapphi-red/web-noise-suppressor/rnnoiseWorklet.js?url";
import type { AudioProcessorOptions, Track, TrackProcessor } from "livekit-client";

/** RNNoise works on 48 kHz audio only. */
export const SAMPLE_RATE = 48_000;

let binary: Promise<ArrayBuffer> | undefined;
const worklets = new WeakMap<BaseAudioContext, Promise<void>>();

function workletIn(context: AudioContext): Promise<void> {
  let loaded = worklets.get(context);
  if (!loaded) {
    loaded = context.audioWorklet.addModule(workletUrl);
    worklets.set(context, loaded);
  }
  return loaded;
}

/** RNNoise on one microphone track, in the given (48 kHz, running) audio context. LiveKit calls
 * `restart` with the new track when the microphone restarts (another device), without the
 * context: the processor keeps its own. */
export class NoiseSuppressor implements TrackProcessor<Track.Kind.Audio, AudioProcessorOptions> {
  readonly name = "rnnoise";
  processedTrack?: MediaStreamTrack;
  private source?: MediaStreamAudioSourceNode;
  private node?: RnnoiseWorkletNode;
  private destination?: MediaStreamAudioDestinationNode;

  constructor(private readonly context: AudioContext) {}

  async init({ track }: AudioProcessorOptions): Promise<void> {
    binary ??= loadRnnoise({ url: wasmUrl, simdUrl });
    const [wasmBinary] = await Promise.all([binary, workletIn(this.context)]);
    this.source = this.context.createMediaStreamSource(new MediaStream([track]));
    this.node = new RnnoiseWorkletNode(this.context, { wasmBinary, maxChannels: 1 });
    this.destination = this.context.createMediaStreamDestination();
    this.source.connect(this.node).connect(this.destination);
    this.processedTrack = this.destination.stream.getAudioTracks()[0];
  }

  async restart(options: AudioProcessorOptions): Promise<void> {
    await this.destroy();
    await this.init(options);
  }

  async destroy(): Promise<void> {
    this.source?.disconnect();
    this.node?.disconnect();
    this.node?.destroy();
    this.processedTrack?.stop();
    this.source = this.node = this.destination = this.processedTrack = undefined;
  }
}
