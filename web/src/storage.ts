// What the browser remembers. The host key stays in this browser (never in a link);
// a session lives per tab, so a reload rejoins as the same participant and a second tab
// is a second participant.

import { isQuality, type Quality } from "./quality/setting";
import { isBackground, type Background } from "./video/setting";

const hostKeyKey = (room: string) => `meet.hostKey.${room}`;
const sessionKey = (room: string) => `meet.session.${room}`;
const inCallKey = (room: string) => `meet.inCall.${room}`;

export const remembered = {
  /** A random id this browser keeps; a host's ban refuses joins that carry it. */
  deviceId: () => {
    let id = localStorage.getItem("meet.deviceId");
    if (!id) {
      id = crypto.randomUUID();
      localStorage.setItem("meet.deviceId", id);
    }
    return id;
  },

  hostKey: (room: string) => localStorage.getItem(hostKeyKey(room)) ?? undefined,
  setHostKey: (room: string, key: string) => localStorage.setItem(hostKeyKey(room), key),

  displayName: () => localStorage.getItem("meet.displayName") ?? "",
  setDisplayName: (name: string) => localStorage.setItem("meet.displayName", name),

  session: (room: string) => sessionStorage.getItem(sessionKey(room)) ?? undefined,
  setSession: (room: string, token: string) => sessionStorage.setItem(sessionKey(room), token),
  forgetSession: (room: string) => sessionStorage.removeItem(sessionKey(room)),

  /** Set while this tab is in the meeting, so a reload goes straight back in. */
  inCall: (room: string) => sessionStorage.getItem(inCallKey(room)) === "1",
  setInCall: (room: string, inCall: boolean) =>
    inCall ? sessionStorage.setItem(inCallKey(room), "1") : sessionStorage.removeItem(inCallKey(room)),

  /** Whether the meeting's single-key shortcuts are on (they are, unless turned off). */
  shortcuts: () => localStorage.getItem("meet.shortcuts") !== "off",
  setShortcuts: (on: boolean) => localStorage.setItem("meet.shortcuts", on ? "on" : "off"),

  /** How this browser lays out the stage: every tile alike, or the speaker large. */
  view: (): StageView => (localStorage.getItem("meet.view") === "speaker" ? "speaker" : "grid"),
  setView: (view: StageView) => localStorage.setItem("meet.view", view),

  choices: (): MediaChoices => {
    try {
      const saved = { ...DEFAULT_CHOICES, ...JSON.parse(localStorage.getItem("meet.mediaChoices") ?? "{}") };
      if (!isQuality(saved.quality)) saved.quality = DEFAULT_CHOICES.quality;
      if (!isBackground(saved.background)) saved.background = DEFAULT_CHOICES.background;
      return saved;
    } catch {
      return DEFAULT_CHOICES;
    }
  },
  setChoices: (choices: MediaChoices) => localStorage.setItem("meet.mediaChoices", JSON.stringify(choices)),
  /** Changes one choice made during a call, for the next one. */
  updateChoices: (patch: Partial<MediaChoices>) => remembered.setChoices({ ...remembered.choices(), ...patch }),
};

export type StageView = "grid" | "speaker";

export interface MediaChoices {
  videoEnabled: boolean;
  audioEnabled: boolean;
  videoDeviceId: string;
  audioDeviceId: string;
  audioOutputDeviceId: string;
  /** What is sent and received (quality/quality.ts). */
  quality: Quality;
  /** The microphone goes through RNNoise (audio/noiseSuppression.ts). */
  noiseSuppression: boolean;
  /** The camera's background effect (video/background.ts). */
  background: Background;
}

const DEFAULT_CHOICES: MediaChoices = {
  videoEnabled: true,
  audioEnabled: true,
  videoDeviceId: "default",
  audioDeviceId: "default",
  audioOutputDeviceId: "default",
  quality: "auto",
  noiseSuppression: true,
  background: "none",
};
