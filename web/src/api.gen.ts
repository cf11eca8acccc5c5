// Generated from openapi.yaml by `make openapi`; do not edit by hand.

export interface paths {
    "/api/connection-check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A token for testing the connection to the media server
         * @description Opens a throwaway LiveKit room of one and returns a token for it, valid for five minutes. No meeting, session or room id is involved. Rate-limited per client address and in total; refused (503) when the rate limiter cannot be reached.
         */
        post: operations["connectionCheck"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the service answers */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/livekit/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * LiveKit's webhook
         * @description LiveKit's signed webhook (`Authorization` carries a JWT over the body's SHA-256).
         */
        post: operations["livekitWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a room */
        post: operations["createRoom"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A room's public state */
        get: operations["showRoom"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change the room's settings
         * @description Host only. Lock the room, switch the waiting room, or rename it.
         */
        patch: operations["updateRoom"];
        trace?: never;
    };
    "/api/rooms/{room_id}/actions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The log of host actions
         * @description Host only. Every host action: who, what, whom, when.
         */
        get: operations["moderationLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the meeting for everyone
         * @description Host only. Disconnects everyone, deletes the chat; later joins get 410.
         */
        post: operations["endRoom"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/hand": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Raise your hand
         * @description Raising it again keeps its place in the queue.
         */
        put: operations["raiseHand"];
        post?: never;
        /** Lower your hand */
        delete: operations["lowerHand"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/hands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Raised hands
         * @description The raised hands of the people in the room, first raised first; for anyone in the room.
         */
        get: operations["hands"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/hands/lower": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Lower someone's hand, or every hand
         * @description Host only. Lowers the named participant's hand, or every hand when none is named.
         */
        post: operations["lowerHands"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Join a room (or wait in its lobby)
         * @description With this room's live session in `Authorization`, answers the same participant (`rejoined: true`) and takes its slot back if it had left.
         */
        post: operations["joinRoom"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/leave": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Leave the room for good
         * @description Ends the session and frees the slot; coming back is a new join, which the lock and the waiting room apply to.
         */
        post: operations["leaveRoom"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/lobby": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Guests waiting to be let in
         * @description Host only. Guests waiting to be let in, oldest first.
         */
        get: operations["lobby"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's own state
         * @description The caller's own state. While waiting, `Retry-After` says when to ask again.
         */
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the room's chat history */
        get: operations["listChat"];
        put?: never;
        /** Send a chat message */
        post: operations["sendChat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/participants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Everyone in the room
         * @description Everyone who joined, with role and status; for anyone in the room.
         */
        get: operations["participants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/participants/{participant_id}/admit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Let a waiting guest in
         * @description Host only. Lets a waiting guest in (409 `room_full` when no slot is free).
         */
        post: operations["admitParticipant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/participants/{participant_id}/ban": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Remove a participant and their browser for good
         * @description Host only. Like kick, and refuses new joins from the same browser for the room's lifetime.
         */
        post: operations["banParticipant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/participants/{participant_id}/deny": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Turn a waiting guest away
         * @description Host only. Turns a waiting guest away.
         */
        post: operations["denyParticipant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/participants/{participant_id}/kick": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Remove a participant
         * @description Host only. Removes the participant from the call and refuses their session.
         */
        post: operations["kickParticipant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/participants/{participant_id}/mute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mute a participant's track
         * @description Host only. Mutes one published track in LiveKit; the person can unmute themself.
         */
        post: operations["muteParticipant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/participants/{participant_id}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a guest a host
         * @description Host only. Makes an admitted guest a host.
         */
        post: operations["promoteParticipant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/reactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a reaction
         * @description Everyone in the room sees it over the sender's tile for a few seconds.
         */
        post: operations["react"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{room_id}/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A LiveKit token for the room
         * @description A participant who dropped out gets their slot back here if one is free, so reconnecting needs no second join.
         */
        post: operations["roomToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/telemetry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report how calls went in this browser
         * @description No session needed and nothing personal: join outcomes, time to the first remote frame, connection failures by stage, reconnects and device errors, each from a fixed set. Counted into metrics, never stored. Rate-limited per client address; while the rate limiter cannot be reached, reports are still counted.
         */
        post: operations["reportTelemetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description A host action, as the log stores and the API shows it.
         * @enum {string}
         */
        Action: "admit" | "deny" | "kick" | "ban" | "promote" | "mute" | "update_room" | "end" | "lower_hands";
        /** @description Every host action, oldest first. */
        ActionLog: {
            actions: components["schemas"]["ActionRecord"][];
        };
        /** @description One recorded host action: who did what to whom, and when. */
        ActionRecord: {
            action: components["schemas"]["Action"];
            actor_id: components["schemas"]["ParticipantId"];
            /** Format: date-time */
            created_at: string;
            /** @description What changed, for actions with more to say than their name (`update_room`, `mute`). */
            detail: Record<string, never>;
            /** Format: int64 */
            id: number;
            target_id: components["schemas"]["ParticipantId"] | null;
        };
        /** @description One chat message; line breaks are kept, and a message may be only emoji. */
        ChatText: string;
        /**
         * @description A LiveKit token for a throwaway room of one, to test the connection with. It may publish
         *     a camera and a microphone there and nothing else; the room closes soon after it empties.
         */
        CheckIssued: {
            /** Format: date-time */
            expires_at: string;
            livekit_url: string;
            token: string;
        };
        /** @description One thing that happened in a browser. */
        ClientEvent: {
            outcome: components["schemas"]["JoinOutcome"];
            /** @enum {string} */
            type: "join";
        } | {
            /** Format: int32 */
            ms: number;
            /** @enum {string} */
            type: "first_remote_frame";
        } | {
            stage: components["schemas"]["ConnectionStage"];
            /** @enum {string} */
            type: "connection_failure";
        } | {
            outcome: components["schemas"]["ReconnectOutcome"];
            /** @enum {string} */
            type: "reconnect";
        } | {
            device: components["schemas"]["Device"];
            reason: components["schemas"]["DeviceFailure"];
            /** @enum {string} */
            type: "device_error";
        };
        /** @description The sender's own id for a message, so that a retried send is stored once. */
        ClientMessageId: string;
        /** @enum {string} */
        ConnectionStage: "signalling" | "ice" | "turn" | "publish";
        CreateRoom: {
            /**
             * @description End-to-end encrypted: media and chat are encrypted in the browsers with a key that the
             *     creator's browser makes and puts in the invitation link's fragment, which no server sees.
             *     Chat messages must then be sent `encrypted`. Chosen here, never changed.
             * @default false
             */
            e2ee: boolean | null;
            max_participants?: components["schemas"]["MaxParticipants"] | null;
            title: components["schemas"]["RoomTitle"];
            /**
             * @description Whether guests wait in a lobby until a host lets them in.
             * @default false
             */
            waiting_room: boolean | null;
        };
        /** @enum {string} */
        Delivery: "ok" | "duplicate";
        /** @enum {string} */
        Device: "camera" | "microphone" | "screen";
        /** @enum {string} */
        DeviceFailure: "denied" | "not_found" | "in_use" | "other";
        /** @description A random id the browser keeps; a ban refuses new joins that carry it. */
        DeviceId: string;
        /** @description The name shown on a participant's tile and beside their chat messages. */
        DisplayName: string;
        /**
         * @description The reactions people can send: a small fixed set, so that nothing else can float over a tile.
         * @enum {string}
         */
        Emoji: "👍" | "👏" | "😂" | "❤️" | "🎉" | "😮";
        /**
         * @description A message sealed in the browser, in an end-to-end encrypted room: all the server stores and
         *     sends of its text. Its plaintext follows the rules of `ChatText`.
         */
        Encrypted: {
            ct: components["schemas"]["SealedCiphertext"];
            iv: components["schemas"]["SealedNonce"];
        };
        /**
         * @description Where a new participant stands right after joining.
         * @enum {string}
         */
        Entry: "admitted" | "waiting";
        /** @description Every error answer's body. */
        Error: {
            error: components["schemas"]["ErrorDetail"];
        };
        /**
         * @description Every error's stable, machine-readable code: part of the public API (clients branch on
         *     it), so the OpenAPI document lists them all from this enum.
         * @enum {string}
         */
        ErrorCode: "room_not_found" | "room_full" | "room_locked" | "room_ended" | "invalid_host_key" | "validation_failed" | "encryption_required" | "invalid_json" | "unsupported_media_type" | "payload_too_large" | "unauthorized" | "not_admitted" | "forbidden" | "participant_not_found" | "invalid_state" | "track_not_found" | "kicked" | "banned" | "denied" | "lobby_full" | "owner_protected" | "direct_access_refused" | "media_unavailable" | "rate_limited" | "chat_unavailable" | "hands_unavailable" | "busy" | "store_unavailable" | "not_found" | "method_not_allowed" | "internal_error";
        ErrorDetail: {
            code: components["schemas"]["ErrorCode"];
            /** @description For people, in English; never internal detail. */
            message: string;
            /** @description The id of this request in our logs, for a support request. */
            request_id: string;
        };
        /**
         * @description The raised hands of people in the room, first raised first. Also what everyone gets on
         *     the `hands` data topic after every change; like the roster, a client keeps the list with
         *     the highest `version` (the server's clock in microseconds before the read).
         */
        HandList: {
            hands: components["schemas"]["RaisedHand"][];
            /** Format: int64 */
            version: number;
        };
        /** @description The service answers. */
        Health: {
            status: components["schemas"]["Up"];
        };
        Join: {
            device_id?: components["schemas"]["DeviceId"] | null;
            display_name: components["schemas"]["DisplayName"];
            /** @description The key shown when the room was created: joining with it makes the owner, a host. */
            host_key?: string | null;
        };
        /** @enum {string} */
        JoinOutcome: "connected" | "failed";
        /** @description Joined (or waiting in the lobby). */
        Joined: {
            participant: components["schemas"]["JoinedParticipant"];
            /** @description The request carried this room's live session: the same participant as before. */
            rejoined: boolean;
            /** @description For `Authorization: Bearer` on every later call in this room. */
            session_token: string;
        };
        JoinedParticipant: {
            display_name: components["schemas"]["DisplayName"];
            id: components["schemas"]["ParticipantId"];
            /** @description The participant's LiveKit identity (the same as `id`). */
            identity: components["schemas"]["ParticipantId"];
            /** @description Joined with the host key: no other host can remove them. */
            owner: boolean;
            role: components["schemas"]["Role"];
            status: components["schemas"]["Entry"];
        };
        /** @description Guests waiting to be let in, oldest first. Also what hosts get on the `lobby` data topic. */
        Lobby: {
            waiting: components["schemas"]["ParticipantView"][];
        };
        /** @description Which hand a host lowers: one participant's, or every hand when none is named. */
        LowerHands: {
            participant_id?: components["schemas"]["ParticipantId"] | null;
        };
        /**
         * @description How many people, hosts included, may be in the room at once.
         * @default 10
         */
        MaxParticipants: number;
        /**
         * @description A stored message, exactly as the API and the LiveKit fan-out show it: `text` in a room that
         *     is not end-to-end encrypted, `encrypted` in one that is.
         */
        Message: {
            /** @description The sender's own id for the message, so their client can match it to what it sent. */
            client_id?: components["schemas"]["ClientMessageId"];
            encrypted?: components["schemas"]["Encrypted"];
            id: components["schemas"]["MessageId"];
            room_id: components["schemas"]["RoomId"];
            sender: components["schemas"]["Sender"];
            /** Format: date-time */
            sent_at: string;
            text?: components["schemas"]["ChatText"];
        };
        /** @description A message's id, increasing within a room; also the cursor for paging. */
        MessageId: string;
        /** @description Stored (or, for a repeated `client_id`, the message stored before). */
        MessageSent: {
            message: components["schemas"]["Message"];
        };
        Mute: {
            source: components["schemas"]["TrackSource"];
        };
        /** @description One page of history, oldest first, as list-chat answers it. */
        Page: {
            messages: components["schemas"]["Message"][];
            /** @description Present when more messages follow: ask again with `after` set to it. */
            next_cursor?: components["schemas"]["MessageId"];
        };
        /** @description One participant: the caller (`GET /me`) or the one a host acted on. */
        ParticipantAnswer: {
            participant: components["schemas"]["ParticipantView"];
        };
        /**
         * Format: uuid
         * @description A participant's id, which is also their LiveKit identity.
         */
        ParticipantId: string;
        /** @description Everyone who joined, in join order. */
        ParticipantList: {
            participants: components["schemas"]["ParticipantView"][];
        };
        /**
         * @description Where a participant stands: `Admitted` and `Connected` hold a slot; `Kicked`,
         *     `Banned` and `Denied` are final for that session.
         * @enum {string}
         */
        ParticipantStatus: "waiting" | "admitted" | "connected" | "left" | "kicked" | "banned" | "denied";
        /** @description A participant as the participant list and the lobby show them. */
        ParticipantView: {
            display_name: components["schemas"]["DisplayName"];
            id: components["schemas"]["ParticipantId"];
            /** Format: date-time */
            joined_at: string;
            /** @description Joined with the host key: no other host can remove them. */
            owner: boolean;
            role: components["schemas"]["Role"];
            status: components["schemas"]["ParticipantStatus"];
        };
        RaisedHand: {
            participant_id: components["schemas"]["ParticipantId"];
            /** Format: date-time */
            raised_at: string;
        };
        /**
         * @description A reaction as everyone in the room gets it (the `reaction` data topic), and as its sender
         *     gets it back.
         */
        Reaction: {
            emoji: components["schemas"]["Emoji"];
            participant_id: components["schemas"]["ParticipantId"];
            /** Format: date-time */
            sent_at: string;
        };
        /** @enum {string} */
        ReconnectOutcome: "recovered" | "lost";
        /**
         * @description What a participant may do in a room.
         * @enum {string}
         */
        Role: "host" | "guest";
        /** @description A room as everyone may see it. */
        Room: {
            /** Format: date-time */
            created_at: string;
            /**
             * @description End-to-end encrypted: without the key from the full invitation link, nobody can see,
             *     hear or read the meeting.
             */
            e2ee: boolean;
            id: components["schemas"]["RoomId"];
            /** @description Nobody new can join a locked room. */
            locked: boolean;
            max_participants: components["schemas"]["MaxParticipants"];
            title: components["schemas"]["RoomTitle"];
            waiting_room: boolean;
        };
        /** @description The new room; `host_key` is shown only here. */
        RoomCreated: {
            /** @description Joining with it makes the room's owner, whom no other host can remove. */
            host_key: string;
            /**
             * @description The room's link. For an encrypted room it lacks the key: the creator's browser adds it
             *     as the fragment (`#…`).
             */
            join_url: string;
            room: components["schemas"]["Room"];
        };
        /** @description A room's id, as in its link: `abc-defg-hij`. */
        RoomId: string;
        /** @description The room and how many people are in it. */
        RoomShown: {
            ended: boolean;
            room: components["schemas"]["RoomWithCount"];
        };
        /** @description A room's title as people see it in the lobby and the page header. */
        RoomTitle: string;
        /** @description The room as it is now. */
        RoomUpdated: {
            room: components["schemas"]["Room"];
        };
        RoomWithCount: components["schemas"]["Room"] & {
            /**
             * Format: int64
             * @description How many people hold a place in the room now.
             */
            participant_count: number;
        };
        /**
         * @description Who may receive the room's media now. The client lets exactly these identities subscribe
         *     to its tracks (LiveKit's subscription permissions); updates arrive on the `roster` data
         *     topic. `version` is the server's clock in microseconds just before the roster was read: a
         *     client keeps the roster with the highest version, so an update read earlier but arriving
         *     later cannot give back what a later one took away.
         */
        Roster: {
            identities: string[];
            /** Format: int64 */
            version: number;
        };
        /** @description The AES-GCM ciphertext and tag of the message's text, encrypted in the browser with the room id as associated data. */
        SealedCiphertext: string;
        /** @description The AES-GCM nonce, 12 random bytes, new for every message. */
        SealedNonce: string;
        /**
         * @description `text` in a room that is not end-to-end encrypted, `encrypted` (sealed in the browser) in one
         *     that is.
         */
        SendMessage: {
            client_id?: components["schemas"]["ClientMessageId"] | null;
            text: components["schemas"]["ChatText"];
        } | {
            client_id?: components["schemas"]["ClientMessageId"] | null;
            encrypted: components["schemas"]["Encrypted"];
        };
        SendReaction: {
            emoji: components["schemas"]["Emoji"];
        };
        Sender: {
            display_name: string;
            identity: string;
        };
        /** @description How many events were counted. */
        TelemetryAccepted: {
            accepted: number;
        };
        TelemetryReport: {
            /** @description 1 to 20 events, of which at most 3 `join`. */
            events: components["schemas"]["ClientEvent"][];
        };
        /** @description A LiveKit token for this room, valid for about ten minutes. */
        TokenIssued: {
            /** Format: date-time */
            expires_at: string;
            livekit_url: string;
            roster: components["schemas"]["Roster"];
            token: string;
        };
        /**
         * @description What a host can mute.
         * @enum {string}
         */
        TrackSource: "microphone" | "camera" | "screen_share";
        /** @enum {string} */
        Up: "ok";
        /** @description Only the fields sent change. */
        UpdateRoom: {
            locked?: boolean | null;
            title?: components["schemas"]["RoomTitle"] | null;
            waiting_room?: boolean | null;
        };
        WebhookAnswer: {
            status: components["schemas"]["Delivery"];
        };
    };
    responses: {
        /** @description The body is not valid JSON (`invalid_json`). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The chat store is unreachable (`chat_unavailable`); the meeting keeps working. */
        ChatUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The room is full, the lobby is full, or the participant is not in a state the action applies to. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Refused for this caller (see the code). */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The meeting has ended (`room_ended`). */
        Gone: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The store of raised hands is unreachable (`hands_unavailable`); the meeting keeps working. */
        HandsUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such room, or no such participant in it. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Too many requests (`rate_limited`). */
        RateLimited: {
            headers: {
                /** @description Seconds until the request may be retried. */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is larger than the route accepts (`payload_too_large`). */
        TooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Missing, invalid or expired session, or one for another room (`unauthorized`). */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description LiveKit is not reachable (`media_unavailable`), or too many people are changing the room at once (`busy`, with `Retry-After`); try again in a moment. */
        Unavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A field is missing or invalid (`validation_failed`), or plain text was sent to an end-to-end encrypted room (`encryption_required`). */
        Unprocessable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is not sent as JSON (`unsupported_media_type`). */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    connectionCheck: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A token for a room nobody else can enter. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckIssued"];
                };
            };
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The service answers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            403: components["responses"]["Forbidden"];
        };
    };
    livekitWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/webhook+json": Record<string, never>;
            };
        };
        responses: {
            /** @description Verified and applied (or a retry of a delivery already applied). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookAnswer"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    createRoom: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRoom"];
            };
        };
        responses: {
            /** @description The room; `host_key` is shown only here. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomCreated"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["RateLimited"];
        };
    };
    showRoom: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The room and how many people are in it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomShown"];
                };
            };
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    updateRoom: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateRoom"];
            };
        };
        responses: {
            /** @description The room as it is now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomUpdated"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    moderationLog: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every host action, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ActionLog"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
        };
    };
    endRoom: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ended. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
            503: components["responses"]["Unavailable"];
        };
    };
    raiseHand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Raised hands, first raised first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["HandsUnavailable"];
        };
    };
    lowerHand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Raised hands, first raised first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["HandsUnavailable"];
        };
    };
    hands: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Raised hands, first raised first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
            503: components["responses"]["HandsUnavailable"];
        };
    };
    lowerHands: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LowerHands"];
            };
        };
        responses: {
            /** @description Raised hands, first raised first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["HandsUnavailable"];
        };
    };
    joinRoom: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Join"];
            };
        };
        responses: {
            /** @description Joined (or waiting in the lobby). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Joined"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            410: components["responses"]["Gone"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    leaveRoom: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Left; the slot is free. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
            503: components["responses"]["Unavailable"];
        };
    };
    lobby: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Guests waiting, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lobby"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's participant. */
            200: {
                headers: {
                    /** @description While waiting: seconds until asking again is worth it. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantAnswer"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
        };
    };
    listChat: {
        parameters: {
            query?: {
                /** @description Return messages after this id. */
                after?: components["schemas"]["MessageId"];
                limit?: number;
            };
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Messages, oldest first; `next_cursor` when more follow. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["ChatUnavailable"];
        };
    };
    sendChat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendMessage"];
            };
        };
        responses: {
            /** @description Stored (or, for a repeated `client_id`, the message stored before). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageSent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["ChatUnavailable"];
        };
    };
    participants: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Everyone who joined, in join order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
        };
    };
    admitParticipant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
                participant_id: components["schemas"]["ParticipantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The participant after the action. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantAnswer"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            410: components["responses"]["Gone"];
            503: components["responses"]["Unavailable"];
        };
    };
    banParticipant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
                participant_id: components["schemas"]["ParticipantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The participant after the action. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantAnswer"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            410: components["responses"]["Gone"];
            503: components["responses"]["Unavailable"];
        };
    };
    denyParticipant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
                participant_id: components["schemas"]["ParticipantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The participant after the action. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantAnswer"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            410: components["responses"]["Gone"];
            503: components["responses"]["Unavailable"];
        };
    };
    kickParticipant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
                participant_id: components["schemas"]["ParticipantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The participant after the action. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantAnswer"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            410: components["responses"]["Gone"];
            503: components["responses"]["Unavailable"];
        };
    };
    muteParticipant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
                participant_id: components["schemas"]["ParticipantId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Mute"];
            };
        };
        responses: {
            /** @description Muted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["Unavailable"];
        };
    };
    promoteParticipant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
                participant_id: components["schemas"]["ParticipantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The participant after the action. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantAnswer"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            410: components["responses"]["Gone"];
            503: components["responses"]["Unavailable"];
        };
    };
    react: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendReaction"];
            };
        };
        responses: {
            /** @description Sent to everyone in the room. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Reaction"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            410: components["responses"]["Gone"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["RateLimited"];
        };
    };
    roomToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                room_id: components["schemas"]["RoomId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A LiveKit token for this room, valid for about ten minutes, and who may receive the room's media now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenIssued"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            410: components["responses"]["Gone"];
            503: components["responses"]["Unavailable"];
        };
    };
    reportTelemetry: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TelemetryReport"];
            };
        };
        responses: {
            /** @description Counted. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TelemetryAccepted"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["RateLimited"];
        };
    };
}
