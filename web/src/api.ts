// The one place the web app talks to the backend. Every failure becomes an ApiError
// whose `code` is the backend's stable error code (or "network_error").

import createClient from "openapi-fetch";
import type { components, paths } from "./api.gen";
import { traceparent } from "./tracing";

// The bodies' types come from the Rust types through openapi.yaml (src/api.gen.ts), so the
// compiler finds every place that still uses a field the server no longer sends.
type Schemas = components["schemas"];

export type Room = Schemas["Room"];
export type RoomState = Schemas["RoomShown"];
export type CreatedRoom = Schemas["RoomCreated"];
export type Participant = Schemas["JoinedParticipant"];
export type Joined = Schemas["Joined"];
export type RoomToken = Schemas["TokenIssued"];
/** Who may receive the room's media now (see roster/roster.ts). */
export type Roster = Schemas["Roster"];
export type ParticipantStatus = Schemas["ParticipantStatus"];
export type ParticipantView = Schemas["ParticipantView"];
export type ErrorCode = Schemas["ErrorCode"];
export type Message = Schemas["Message"];
export type MessagePage = Schemas["Page"];
/** A chat message sealed in the browser (an end-to-end encrypted room). */
export type Encrypted = Schemas["Encrypted"];
/** What a message says: text, or in an encrypted room only sealed text. */
export type MessageBody = { text: string } | { encrypted: Encrypted };
/** The host actions on one participant that answer with that participant. */
export type HostAction = Exclude<Schemas["Action"], "mute" | "update_room" | "end" | "lower_hands">;
export type MutableSource = Schemas["TrackSource"];
export type HandList = Schemas["HandList"];
export type Emoji = Schemas["Emoji"];
export type Reaction = Schemas["Reaction"];
export type TelemetryEvent = Schemas["ClientEvent"];

/** Where a host's decision puts someone for good (also the error codes of their session). */
export const REMOVED = ["kicked", "banned", "denied"] as const satisfies readonly (ParticipantStatus & ErrorCode)[];
export type Removed = (typeof REMOVED)[number];

export function isRemoved(statusOrCode: string): statusOrCode is Removed {
  return (REMOVED as readonly string[]).includes(statusOrCode);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface Answer<T> {
  body: T;
  retryAfterSeconds?: number;
}

// Paths, methods, parameters and bodies are checked against openapi.yaml by openapi-fetch:
// a route moved or renamed on the server breaks the type-check here.
const client = createClient<paths>({ baseUrl: import.meta.env.VITE_API_BASE ?? "" });
client.use({
  onRequest: ({ request }) => {
    request.headers.set("traceparent", traceparent());
    return request;
  },
});

type Outcome<T> = { data?: T; error?: unknown; response: Response };

/** The body of a successful answer, or an ApiError with the server's code. */
async function answered<T>(call: Promise<Outcome<T>>): Promise<Answer<T>> {
  let outcome: Outcome<T>;
  try {
    outcome = await call;
  } catch (cause) {
    throw new ApiError(0, "network_error", String(cause));
  }
  const { data, error, response } = outcome;
  const retryAfterSeconds = Number(response.headers.get("retry-after")) || undefined;
  if (!response.ok) {
    const body = error as Partial<Schemas["Error"]> | undefined;
    throw new ApiError(
      response.status,
      body?.error?.code ?? "unknown_error",
      body?.error?.message ?? `HTTP ${response.status}`,
      retryAfterSeconds,
    );
  }
  return { body: data as T, retryAfterSeconds };
}

const body = async <T>(call: Promise<Outcome<T>>) => (await answered(call)).body;
const bearer = (session?: string) => (session ? { authorization: `Bearer ${session}` } : {});
const inRoom = (id: string) => ({ path: { room_id: id } });
const onTarget = (id: string, target: string) => ({ path: { room_id: id, participant_id: target } });

const HOST_ACTIONS = {
  admit: "/api/rooms/{room_id}/participants/{participant_id}/admit",
  deny: "/api/rooms/{room_id}/participants/{participant_id}/deny",
  kick: "/api/rooms/{room_id}/participants/{participant_id}/kick",
  ban: "/api/rooms/{room_id}/participants/{participant_id}/ban",
  promote: "/api/rooms/{room_id}/participants/{participant_id}/promote",
} as const satisfies Record<HostAction, keyof paths>;

export const api = {
  createRoom: (room: Schemas["CreateRoom"]) => body(client.POST("/api/rooms", { body: room })),
  room: (id: string) => body(client.GET("/api/rooms/{room_id}", { params: inRoom(id) })),
  join: (id: string, join: Schemas["Join"], session?: string) =>
    body(client.POST("/api/rooms/{room_id}/join", { params: inRoom(id), body: join, headers: bearer(session) })),
  leave: (id: string, session: string) =>
    body(client.POST("/api/rooms/{room_id}/leave", { params: inRoom(id), headers: bearer(session) })),
  token: (id: string, session: string) =>
    body(client.POST("/api/rooms/{room_id}/token", { params: inRoom(id), headers: bearer(session) })),
  connectionCheck: () => body(client.POST("/api/connection-check", {})),
  /** `keepalive` lets the report outlive the page that sends it. */
  reportTelemetry: (events: TelemetryEvent[], keepalive = false) =>
    body(client.POST("/api/telemetry", { body: { events }, keepalive })),
  sendMessage: (id: string, session: string, said: MessageBody, clientId: string) =>
    body(
      client.POST("/api/rooms/{room_id}/messages", {
        params: inRoom(id),
        body: { ...said, client_id: clientId },
        headers: bearer(session),
      }),
    ),
  me: (id: string, session: string) =>
    answered(client.GET("/api/rooms/{room_id}/me", { params: inRoom(id), headers: bearer(session) })),
  participants: (id: string, session: string) =>
    body(client.GET("/api/rooms/{room_id}/participants", { params: inRoom(id), headers: bearer(session) })),
  lobby: (id: string, session: string) =>
    body(client.GET("/api/rooms/{room_id}/lobby", { params: inRoom(id), headers: bearer(session) })),
  moderate: (id: string, session: string, target: string, action: HostAction) =>
    body(client.POST(HOST_ACTIONS[action], { params: onTarget(id, target), headers: bearer(session) })),
  mute: (id: string, session: string, target: string, source: MutableSource) =>
    body(
      client.POST("/api/rooms/{room_id}/participants/{participant_id}/mute", {
        params: onTarget(id, target),
        body: { source },
        headers: bearer(session),
      }),
    ),
  hands: (id: string, session: string) =>
    body(client.GET("/api/rooms/{room_id}/hands", { params: inRoom(id), headers: bearer(session) })),
  raiseHand: (id: string, session: string) =>
    body(client.PUT("/api/rooms/{room_id}/hand", { params: inRoom(id), headers: bearer(session) })),
  lowerHand: (id: string, session: string) =>
    body(client.DELETE("/api/rooms/{room_id}/hand", { params: inRoom(id), headers: bearer(session) })),
  lowerHands: (id: string, session: string, participantId?: string) =>
    body(
      client.POST("/api/rooms/{room_id}/hands/lower", {
        params: inRoom(id),
        body: participantId ? { participant_id: participantId } : {},
        headers: bearer(session),
      }),
    ),
  react: (id: string, session: string, emoji: Emoji) =>
    body(client.POST("/api/rooms/{room_id}/reactions", { params: inRoom(id), body: { emoji }, headers: bearer(session) })),
  updateRoom: (id: string, session: string, patch: Schemas["UpdateRoom"]) =>
    body(client.PATCH("/api/rooms/{room_id}", { params: inRoom(id), body: patch, headers: bearer(session) })),
  endRoom: (id: string, session: string) =>
    body(client.POST("/api/rooms/{room_id}/end", { params: inRoom(id), headers: bearer(session) })),
  listMessages: (id: string, session: string, after?: string) =>
    body(
      client.GET("/api/rooms/{room_id}/messages", {
        params: { ...inRoom(id), query: { limit: 100, ...(after ? { after } : {}) } },
        headers: bearer(session),
      }),
    ),
};
