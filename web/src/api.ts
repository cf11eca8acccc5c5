// The one place the web app talks to the backend. Every failure becomes an ApiError
// whose `code` is the backend's stable error code (or "network_error").

import type { components } from "./api.gen";

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
/** The host actions on one participant that answer with that participant. */
export type HostAction = Exclude<Schemas["Action"], "mute" | "update_room" | "end">;
export type MutableSource = Schemas["TrackSource"];

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

const BASE: string = import.meta.env.VITE_API_BASE ?? "";

export interface Answer<T> {
  body: T;
  retryAfterSeconds?: number;
}

async function request<T>(method: string, path: string, options: { body?: unknown; session?: string } = {}): Promise<T> {
  return (await requestWithHeaders<T>(method, path, options)).body;
}

async function requestWithHeaders<T>(method: string, path: string, options: { body?: unknown; session?: string } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.session) headers["authorization"] = `Bearer ${options.session}`;
  let response: Response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (cause) {
    throw new ApiError(0, "network_error", String(cause));
  }
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    const retryAfter = Number(response.headers.get("retry-after")) || undefined;
    throw new ApiError(
      response.status,
      body?.error?.code ?? "unknown_error",
      body?.error?.message ?? `HTTP ${response.status}`,
      retryAfter,
    );
  }
  const body = (response.status === 204 ? undefined : await response.json()) as T;
  return { body, retryAfterSeconds: Number(response.headers.get("retry-after")) || undefined };
}

const room = (id: string) => `/api/rooms/${encodeURIComponent(id)}`;

export const api = {
  createRoom: (body: Schemas["CreateRoom"]) =>
    request<CreatedRoom>("POST", "/api/rooms", { body }),
  room: (id: string) => request<RoomState>("GET", room(id)),
  join: (id: string, body: Schemas["Join"], session?: string) =>
    request<Joined>("POST", `${room(id)}/join`, { body, session }),
  leave: (id: string, session: string) => request<void>("POST", `${room(id)}/leave`, { session }),
  token: (id: string, session: string) => request<RoomToken>("POST", `${room(id)}/token`, { session }),
  sendMessage: (id: string, session: string, text: string, clientId: string) =>
    request<Schemas["MessageSent"]>("POST", `${room(id)}/messages`, {
      body: { text, client_id: clientId } satisfies Schemas["SendMessage"],
      session,
    }),
  me: (id: string, session: string) => requestWithHeaders<Schemas["ParticipantAnswer"]>("GET", `${room(id)}/me`, { session }),
  participants: (id: string, session: string) =>
    request<Schemas["ParticipantList"]>("GET", `${room(id)}/participants`, { session }),
  lobby: (id: string, session: string) => request<Schemas["Lobby"]>("GET", `${room(id)}/lobby`, { session }),
  moderate: (id: string, session: string, target: string, action: HostAction) =>
    request<Schemas["ParticipantAnswer"]>("POST", `${room(id)}/participants/${encodeURIComponent(target)}/${action}`, { session }),
  mute: (id: string, session: string, target: string, source: MutableSource) =>
    request<void>("POST", `${room(id)}/participants/${encodeURIComponent(target)}/mute`, {
      session,
      body: { source } satisfies Schemas["Mute"],
    }),
  updateRoom: (id: string, session: string, patch: Schemas["UpdateRoom"]) =>
    request<Schemas["RoomUpdated"]>("PATCH", room(id), { session, body: patch }),
  endRoom: (id: string, session: string) => request<void>("POST", `${room(id)}/end`, { session }),
  listMessages: (id: string, session: string, after?: string) =>
    request<MessagePage>(
      "GET",
      `${room(id)}/messages?limit=100${after ? `&after=${encodeURIComponent(after)}` : ""}`,
      { session },
    ),
};
