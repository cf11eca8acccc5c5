// The one place the web app talks to the backend. Every failure becomes an ApiError
// whose `code` is the backend's stable error code (or "network_error").

export interface Room {
  id: string;
  title: string;
  max_participants: number;
  waiting_room: boolean;
  locked: boolean;
  created_at: string;
}

export interface RoomState {
  room: Room & { participant_count: number };
  ended: boolean;
}

export interface CreatedRoom {
  room: Room;
  host_key: string;
  join_url: string;
}

export interface Participant {
  id: string;
  identity: string;
  display_name: string;
  role: "host" | "guest";
  status: "admitted" | "waiting";
}

export interface Joined {
  participant: Participant;
  session_token: string;
  rejoined: boolean;
}

export interface RoomToken {
  token: string;
  livekit_url: string;
  expires_at: string;
  /** Who may receive the room's media now (see roster/roster.ts). */
  roster: { identities: string[]; version: number };
}

export type ParticipantStatus = "waiting" | "admitted" | "connected" | "left" | "kicked" | "banned" | "denied";

/** Where a host's decision puts someone for good (also the error codes of their session). */
export const REMOVED = ["kicked", "banned", "denied"] as const;
export type Removed = (typeof REMOVED)[number];

export function isRemoved(statusOrCode: string): statusOrCode is Removed {
  return (REMOVED as readonly string[]).includes(statusOrCode);
}

export interface ParticipantView {
  id: string;
  display_name: string;
  role: "host" | "guest";
  status: ParticipantStatus;
  joined_at: string;
}

export type HostAction = "admit" | "deny" | "kick" | "ban" | "promote";
export type MutableSource = "microphone" | "camera" | "screen_share";

export interface Message {
  id: string;
  room_id: string;
  sender: { identity: string; display_name: string };
  text: string;
  sent_at: string;
  client_id?: string;
}

export interface MessagePage {
  messages: Message[];
  next_cursor?: string;
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
  createRoom: (body: { title: string; max_participants?: number; waiting_room?: boolean }) =>
    request<CreatedRoom>("POST", "/api/rooms", { body }),
  room: (id: string) => request<RoomState>("GET", room(id)),
  join: (id: string, body: { display_name: string; host_key?: string; device_id?: string }, session?: string) =>
    request<Joined>("POST", `${room(id)}/join`, { body, session }),
  leave: (id: string, session: string) => request<void>("POST", `${room(id)}/leave`, { session }),
  token: (id: string, session: string) => request<RoomToken>("POST", `${room(id)}/token`, { session }),
  sendMessage: (id: string, session: string, text: string, clientId: string) =>
    request<{ message: Message }>("POST", `${room(id)}/messages`, { body: { text, client_id: clientId }, session }),
  me: (id: string, session: string) => requestWithHeaders<{ participant: ParticipantView }>("GET", `${room(id)}/me`, { session }),
  participants: (id: string, session: string) =>
    request<{ participants: ParticipantView[] }>("GET", `${room(id)}/participants`, { session }),
  lobby: (id: string, session: string) => request<{ waiting: ParticipantView[] }>("GET", `${room(id)}/lobby`, { session }),
  moderate: (id: string, session: string, target: string, action: HostAction) =>
    request<{ participant: ParticipantView }>("POST", `${room(id)}/participants/${encodeURIComponent(target)}/${action}`, { session }),
  mute: (id: string, session: string, target: string, source: MutableSource) =>
    request<void>("POST", `${room(id)}/participants/${encodeURIComponent(target)}/mute`, { session, body: { source } }),
  updateRoom: (id: string, session: string, patch: { locked?: boolean; waiting_room?: boolean; title?: string }) =>
    request<{ room: Room }>("PATCH", room(id), { session, body: patch }),
  endRoom: (id: string, session: string) => request<void>("POST", `${room(id)}/end`, { session }),
  listMessages: (id: string, session: string, after?: string) =>
    request<MessagePage>(
      "GET",
      `${room(id)}/messages?limit=100${after ? `&after=${encodeURIComponent(after)}` : ""}`,
      { session },
    ),
};
