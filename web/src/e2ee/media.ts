// Media encryption for an end-to-end encrypted meeting: LiveKit's frame encryption in a worker,
// keyed from the link's fragment (keys.ts). Every frame is encrypted before it leaves this
// browser and decrypted after it arrives; the media server forwards what it cannot read.
import { ExternalE2EEKeyProvider, isE2EESupported, type E2EEOptions } from "livekit-client";

/** Whether this browser can encrypt a call's frames (insertable streams or script transforms). */
export function encryptionSupported(): boolean {
  return isE2EESupported();
}

/** LiveKit's options for a room whose frames are encrypted with `media`, and a way to stop the
 * worker when the meeting ends. */
export async function frameEncryption(media: ArrayBuffer): Promise<{ options: E2EEOptions; stop: () => void }> {
  const keyProvider = new ExternalE2EEKeyProvider();
  // An ArrayBuffer is expanded with HKDF (a string would go through PBKDF2, meant for passwords).
  await keyProvider.setKey(media);
  const worker = new Worker(new URL("livekit-client/e2ee-worker", import.meta.url));
  return { options: { keyProvider, worker }, stop: () => worker.terminate() };
}
