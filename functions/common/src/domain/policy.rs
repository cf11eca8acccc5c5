//! The rules of a meeting, written once: who may enter, what each action may do from each
//! status, and what holds a slot. Both stores ask these functions what to write and only
//! make the answer atomic (a guarded update, a condition expression).

use super::{ParticipantStatus, Role};
use std::time::Duration;

use ParticipantStatus::{Admitted, Banned, Connected, Denied, Kicked, Left, Waiting};

/// What a new join presents besides its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// No host key: a guest.
    Guest,
    /// The room's own host key: the room's owner.
    HostKey,
    /// A host key that is not this room's.
    WrongHostKey,
}

/// The room as a new join finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomFacts {
    pub ended: bool,
    pub locked: bool,
    pub waiting_room: bool,
}

/// Where a new participant starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub role: Role,
    /// Came in with the host key: no other host can remove or demote them.
    pub owner: bool,
    /// `Admitted` (takes a slot) or `Waiting` (takes a place in the lobby).
    pub status: ParticipantStatus,
}

/// Why someone may not come in (or may not do what they asked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("room ended")]
    RoomEnded,
    #[error("room locked")]
    RoomLocked,
    #[error("room full")]
    RoomFull,
    #[error("lobby full")]
    LobbyFull,
    #[error("invalid host key")]
    InvalidHostKey,
    #[error("banned")]
    Banned,
    #[error("kicked")]
    Kicked,
    #[error("denied")]
    Denied,
    #[error("waiting for a host")]
    NotAdmitted,
    /// The session left on purpose: coming back is a new join.
    #[error("session ended")]
    SessionEnded,
    #[error("not in a state this action applies to")]
    InvalidState,
    #[error("the room's owner cannot be removed or demoted by another host")]
    OwnerProtected,
}

/// Decides how a new join enters. `banned` is whether this browser is banned from the room.
/// Capacity is not decided here: an `Admitted` entry takes a slot, which the store grants
/// atomically or refuses with [`Refusal::RoomFull`].
pub fn entry(room: RoomFacts, credential: Credential, banned: bool) -> Result<Entry, Refusal> {
    if room.ended {
        return Err(Refusal::RoomEnded);
    }
    match credential {
        Credential::WrongHostKey => Err(Refusal::InvalidHostKey),
        // The owner gets past the lock, the lobby and a ban of their browser (a promoted
        // guest sharing it must not lock the owner out of their own meeting).
        Credential::HostKey => Ok(Entry { role: Role::Host, owner: true, status: Admitted }),
        Credential::Guest if room.locked => Err(Refusal::RoomLocked),
        Credential::Guest if banned => Err(Refusal::Banned),
        Credential::Guest => {
            let status = if room.waiting_room { Waiting } else { Admitted };
            Ok(Entry { role: Role::Guest, owner: false, status })
        }
    }
}

/// How many guests may wait in a room's lobby at once: no more than could ever be let in.
pub fn lobby_cap(max_participants: i32) -> i64 {
    i64::from(max_participants.max(1))
}

/// Everything that changes a participant's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// A host lets a waiting guest in.
    Admit,
    /// A host turns a waiting guest away.
    Deny,
    /// A host removes someone; they may join again as someone new unless the room stops them.
    Kick,
    /// A host removes someone and bars their browser from the room.
    Ban,
    /// A host makes a guest a host.
    Promote,
    /// The participant leaves on purpose: the session ends with it.
    Leave,
    /// The participant's own session asks for a token or rejoins after a reload or a drop.
    Resume,
    /// LiveKit reports the participant connected.
    Connect,
    /// LiveKit reports the participant's current connection gone.
    Disconnect,
    /// A host ends the meeting for everyone.
    EndRoom,
}

/// How a transition changes one of the room's counts (slots, lobby, receivers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Take,
    Keep,
    Free,
}

impl Count {
    /// What the count moves by.
    pub fn delta(self) -> i64 {
        match self {
            Count::Take => 1,
            Count::Keep => 0,
            Count::Free => -1,
        }
    }

    fn between(was: bool, is: bool) -> Count {
        match (was, is) {
            (false, true) => Count::Take,
            (true, false) => Count::Free,
            _ => Count::Keep,
        }
    }
}

/// What a store writes for one allowed transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub to: ParticipantStatus,
    /// The role after the step (only a promotion changes it).
    pub role: Role,
    pub slot: Count,
    pub lobby: Count,
    /// Whether the participant joins or leaves those who may receive the room's media and
    /// data (see [`may_receive`]): the roster changes, and one who leaves it is taken out of
    /// the media server.
    pub receiving: Count,
    /// The session can no longer be used (a leave).
    pub end_session: bool,
    /// Nothing changes; the store writes nothing.
    pub unchanged: bool,
}

/// The participant a transition applies to, as stored now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    /// Effective status: an admission whose connect grace ran out reads as `Left`.
    pub status: ParticipantStatus,
    pub role: Role,
    pub owner: bool,
    /// The session has not ended or expired.
    pub session_live: bool,
    /// A host ended the meeting.
    pub room_ended: bool,
    /// Admitted, but never connected before the grace period ran out (reads as `Left`).
    pub never_connected: bool,
    /// The room is locked or behind its waiting room now.
    pub room_closed: bool,
}

impl Subject {
    /// A guest with a live session in a room that is open and running.
    pub fn guest(status: ParticipantStatus) -> Self {
        Subject {
            status,
            role: Role::Guest,
            owner: false,
            session_live: true,
            room_ended: false,
            never_connected: false,
            room_closed: false,
        }
    }
}

/// Who asks for a host action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostActor {
    pub owner: bool,
    /// The actor is the subject.
    pub is_subject: bool,
}

/// Whether `transition` may happen to `subject` now, and what it writes. Host transitions
/// need `actor`; the others come from the participant themselves or from LiveKit.
pub fn step(subject: Subject, transition: Transition, actor: Option<HostActor>) -> Result<Step, Refusal> {
    use Transition::*;
    let status = subject.status;
    if subject.room_ended && !matches!(transition, Leave | Disconnect | EndRoom) {
        return Err(Refusal::RoomEnded);
    }
    if let Some(actor) = actor {
        if actor.is_subject {
            return Err(Refusal::InvalidState);
        }
        if subject.owner && !actor.owner && matches!(transition, Kick | Ban | Deny) {
            return Err(Refusal::OwnerProtected);
        }
    }
    let to = |to: ParticipantStatus| Step {
        to,
        role: subject.role,
        slot: slot_change(status, to),
        lobby: lobby_change(status, to),
        receiving: Count::between(may_receive(status, subject.session_live), may_receive(to, subject.session_live)),
        end_session: false,
        unchanged: false,
    };
    let unchanged = Step { unchanged: true, ..to(status) };
    // A leave also ends the session, which takes the participant off the roster.
    let leaving = Step {
        end_session: true,
        receiving: Count::between(may_receive(status, subject.session_live), false),
        ..to(Left)
    };
    let removed = || Err(removal(status).unwrap_or(Refusal::InvalidState));
    match transition {
        Admit if status == Waiting => Ok(to(Admitted)),
        Deny if status == Waiting => Ok(to(Denied)),
        Kick if matches!(status, Waiting | Admitted | Connected | Left) => Ok(to(Kicked)),
        // A denied guest can still be banned: their browser then stays out for good.
        Ban if matches!(status, Waiting | Admitted | Connected | Left | Kicked | Denied) => Ok(to(Banned)),
        Promote if matches!(status, Admitted | Connected) && subject.role == Role::Guest => {
            Ok(Step { role: Role::Host, ..to(status) })
        }
        Admit | Deny | Kick | Ban | Promote => Err(Refusal::InvalidState),

        Leave => match status {
            Waiting | Admitted | Connected => Ok(leaving),
            Left if subject.session_live => Ok(leaving),
            // Already out: leaving again changes nothing.
            _ => Ok(unchanged),
        },
        Resume => match status {
            _ if !subject.session_live => Err(Refusal::SessionEnded),
            Admitted | Connected => Ok(unchanged),
            // Someone who never showed up is not someone who dropped out of the meeting: once
            // the room is locked or behind its waiting room, coming in is a new join.
            Left if subject.never_connected && subject.room_closed => Err(Refusal::SessionEnded),
            Left => Ok(to(Admitted)),
            Waiting => Err(Refusal::NotAdmitted),
            _ => removed(),
        },
        // A connection LiveKit reports is kept only if it may hold a slot; the caller
        // removes it from LiveKit otherwise.
        Connect => match status {
            Admitted | Connected | Left if !subject.session_live => Err(Refusal::SessionEnded),
            Left if subject.never_connected && subject.room_closed => Err(Refusal::SessionEnded),
            Admitted | Connected | Left => Ok(to(Connected)),
            Waiting => Err(Refusal::NotAdmitted),
            _ => removed(),
        },
        Disconnect => match status {
            Admitted | Connected => Ok(to(Left)),
            _ => Ok(unchanged),
        },
        EndRoom => match status {
            Waiting | Admitted | Connected => Ok(to(Left)),
            _ => Ok(unchanged),
        },
    }
}

/// Whether a presence event from LiveKit is about a connection the store has moved past:
/// the departure of a connection replaced since (a reload), or the arrival of one that
/// already departed (a replayed delivery). Such an event changes nothing.
pub fn stale_presence(
    transition: Transition,
    event_sid: Option<&str>,
    stored: ParticipantStatus,
    stored_sid: Option<&str>,
) -> bool {
    match (transition, event_sid) {
        (Transition::Disconnect, Some(sid)) => stored_sid != Some(sid),
        (Transition::Connect, Some(sid)) => stored == Left && stored_sid == Some(sid),
        _ => false,
    }
}

/// Stored statuses whose live session may receive the room's media and data: in the room,
/// or dropped out and free to resume. Everyone else's clients refuse them their tracks.
pub const RECEIVING: [ParticipantStatus; 3] = [Admitted, Connected, Left];

pub fn may_receive(stored: ParticipantStatus, session_live: bool) -> bool {
    session_live && RECEIVING.contains(&stored)
}

/// The statuses a participant-independent transition (such as ending the room) changes,
/// for stores that apply it to every row at once.
pub fn moved_by(transition: Transition) -> Vec<ParticipantStatus> {
    ParticipantStatus::ALL
        .into_iter()
        .filter(|&status| step(Subject::guest(status), transition, None).is_ok_and(|s| !s.unchanged))
        .collect()
}

/// How moving from `from` to `to` changes the room's slot count. DynamoDB's counter
/// follows stored statuses, so it asks this with the stored one.
pub fn slot_change(from: ParticipantStatus, to: ParticipantStatus) -> Count {
    Count::between(from.holds_slot(), to.holds_slot())
}

/// How moving from `from` to `to` changes the lobby's size.
pub fn lobby_change(from: ParticipantStatus, to: ParticipantStatus) -> Count {
    Count::between(from == Waiting, to == Waiting)
}

/// The refusal a host's decision left on a participant, if any.
pub fn removal(status: ParticipantStatus) -> Option<Refusal> {
    match status {
        Kicked => Some(Refusal::Kicked),
        Banned => Some(Refusal::Banned),
        Denied => Some(Refusal::Denied),
        _ => None,
    }
}

/// Whether a stored participant holds a slot at `now`: connected, or admitted within the
/// connect grace period. Times are milliseconds since the epoch.
pub fn holds_slot(stored: ParticipantStatus, admitted_at_ms: Option<i64>, now_ms: i64, grace: Duration) -> bool {
    match stored {
        Connected => true,
        Admitted => admitted_at_ms.is_some_and(|at| at > now_ms - grace.as_millis() as i64),
        _ => false,
    }
}

/// The status people see: an admission whose grace period ran out reads as `Left`.
pub fn effective_status(
    stored: ParticipantStatus,
    admitted_at_ms: Option<i64>,
    now_ms: i64,
    grace: Duration,
) -> ParticipantStatus {
    if stored == Admitted && !holds_slot(stored, admitted_at_ms, now_ms, grace) { Left } else { stored }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Transition::*;

    const ALL: [ParticipantStatus; 7] = ParticipantStatus::ALL;
    const TRANSITIONS: [Transition; 10] =
        [Admit, Deny, Kick, Ban, Promote, Leave, Resume, Connect, Disconnect, EndRoom];

    fn subject(status: ParticipantStatus) -> Subject {
        Subject::guest(status)
    }

    fn host() -> Option<HostActor> {
        Some(HostActor { owner: false, is_subject: false })
    }

    fn is_host_transition(t: Transition) -> bool {
        matches!(t, Admit | Deny | Kick | Ban | Promote)
    }

    /// The whole table: for every status and transition, the resulting status or the refusal.
    fn expected(from: ParticipantStatus, t: Transition) -> Result<ParticipantStatus, Refusal> {
        use Refusal as R;
        match (t, from) {
            (Admit, Waiting) => Ok(Admitted),
            (Deny, Waiting) => Ok(Denied),
            (Kick, Waiting | Admitted | Connected | Left) => Ok(Kicked),
            (Ban, Waiting | Admitted | Connected | Left | Kicked | Denied) => Ok(Banned),
            (Promote, Admitted | Connected) => Ok(from),
            (Admit | Deny | Kick | Ban | Promote, _) => Err(R::InvalidState),
            (Leave, Waiting | Admitted | Connected | Left) => Ok(Left),
            (Leave, other) => Ok(other),
            (Resume | Connect, Waiting) => Err(R::NotAdmitted),
            (Resume, Admitted | Connected) => Ok(from),
            (Resume, Left) => Ok(Admitted),
            (Connect, Admitted | Connected | Left) => Ok(Connected),
            (Resume | Connect, Kicked) => Err(R::Kicked),
            (Resume | Connect, Banned) => Err(R::Banned),
            (Resume | Connect, Denied) => Err(R::Denied),
            (Disconnect | EndRoom, Admitted | Connected) => Ok(Left),
            (EndRoom, Waiting) => Ok(Left),
            (Disconnect | EndRoom, other) => Ok(other),
        }
    }

    #[test]
    fn every_status_and_transition_pair_follows_the_table() {
        for from in ALL {
            for t in TRANSITIONS {
                let actor = if is_host_transition(t) { host() } else { None };
                let got = step(subject(from), t, actor).map(|s| s.to);
                assert_eq!(got, expected(from, t), "{t:?} from {from:?}");
            }
        }
    }

    #[test]
    fn slots_are_taken_and_freed_exactly_when_holding_changes() {
        for from in ALL {
            for t in TRANSITIONS {
                let actor = if is_host_transition(t) { host() } else { None };
                let Ok(s) = step(subject(from), t, actor) else { continue };
                let want = match (from.holds_slot(), s.to.holds_slot()) {
                    (false, true) => Count::Take,
                    (true, false) => Count::Free,
                    _ => Count::Keep,
                };
                assert_eq!(s.slot, want, "{t:?} from {from:?}");
                assert_eq!(s.lobby == Count::Free, from == Waiting && s.to != Waiting, "{t:?} from {from:?}");
                assert_ne!(s.lobby, Count::Take, "only a join queues: {t:?} from {from:?}");
            }
        }
    }

    #[test]
    fn the_roster_changes_when_someone_enters_or_leaves_the_room_for_good() {
        let receiving = |from, t| {
            let actor = if is_host_transition(t) { host() } else { None };
            step(subject(from), t, actor).unwrap().receiving
        };
        assert_eq!(receiving(Waiting, Admit), Count::Take);
        assert_eq!(receiving(Waiting, Deny), Count::Keep);
        assert_eq!(receiving(Connected, Kick), Count::Free);
        assert_eq!(receiving(Left, Ban), Count::Free, "dropped out, but could have come back");
        assert_eq!(receiving(Admitted, Leave), Count::Free);
        assert_eq!(receiving(Left, Leave), Count::Free, "the session ends with the leave");
        assert_eq!(receiving(Left, Resume), Count::Keep);
        assert_eq!(receiving(Connected, Disconnect), Count::Keep, "a drop may come back");
        assert_eq!(receiving(Connected, Promote), Count::Keep);
        let gone = Subject { session_live: false, ..subject(Left) };
        assert_eq!(step(gone, Kick, host()).unwrap().receiving, Count::Keep);
    }

    #[test]
    fn an_admission_that_never_connected_cannot_slip_past_a_lock_or_waiting_room_set_since() {
        let staged = Subject { never_connected: true, room_closed: true, ..subject(Left) };
        assert_eq!(step(staged, Resume, None), Err(Refusal::SessionEnded));
        assert_eq!(step(staged, Connect, None), Err(Refusal::SessionEnded));
        let dropped = Subject { room_closed: true, ..subject(Left) };
        assert_eq!(step(dropped, Resume, None).unwrap().to, Admitted, "one who dropped out comes back");
        let late = Subject { never_connected: true, ..subject(Left) };
        assert_eq!(step(late, Resume, None).unwrap().to, Admitted, "an open room takes a late arrival back");
    }

    #[test]
    fn a_session_that_left_on_purpose_cannot_resume_or_reconnect() {
        let gone = Subject { session_live: false, ..subject(Left) };
        assert_eq!(step(gone, Resume, None), Err(Refusal::SessionEnded));
        assert_eq!(step(gone, Connect, None), Err(Refusal::SessionEnded));
        for status in [Admitted, Connected] {
            let expired = Subject { session_live: false, ..subject(status) };
            assert_eq!(step(expired, Connect, None), Err(Refusal::SessionEnded), "an expired session's connection");
        }
        assert!(step(gone, Leave, None).unwrap().unchanged);
        for status in [Admitted, Connected, Waiting] {
            let s = step(subject(status), Leave, None).unwrap();
            assert!(s.end_session && s.to == Left, "{status:?}");
        }
    }

    #[test]
    fn only_an_owner_can_remove_an_owner_and_nobody_acts_on_themselves() {
        let owner = Subject { owner: true, role: Role::Host, ..subject(Connected) };
        for t in [Kick, Ban] {
            assert_eq!(step(owner, t, host()), Err(Refusal::OwnerProtected), "{t:?}");
            let by_owner = Some(HostActor { owner: true, is_subject: false });
            assert!(step(owner, t, by_owner).is_ok(), "{t:?}");
        }
        let myself = Some(HostActor { owner: true, is_subject: true });
        for t in [Admit, Deny, Kick, Ban, Promote] {
            assert_eq!(step(subject(Connected), t, myself), Err(Refusal::InvalidState), "{t:?}");
        }
    }

    #[test]
    fn only_people_in_the_room_or_free_to_resume_receive_media() {
        for status in ALL {
            let resumable = step(subject(status), Resume, None).is_ok();
            assert_eq!(may_receive(status, true), resumable, "{status:?}");
            assert!(!may_receive(status, false), "{status:?} with an ended session");
        }
    }

    #[test]
    fn presence_about_a_replaced_or_departed_connection_is_stale() {
        let stale = |t, sid, stored, stored_sid| stale_presence(t, Some(sid), stored, stored_sid);
        assert!(stale(Disconnect, "PA_old", Connected, Some("PA_new")), "a reload's old connection leaving");
        assert!(!stale(Disconnect, "PA_new", Connected, Some("PA_new")));
        assert!(stale(Connect, "PA_1", Left, Some("PA_1")), "a replayed arrival of a departed connection");
        assert!(!stale(Connect, "PA_2", Left, Some("PA_1")), "a new connection after a drop");
        assert!(!stale(Connect, "PA_1", Admitted, None));
        assert!(!stale_presence(Disconnect, None, Connected, Some("PA_1")), "LiveKit closed the room");
    }

    #[test]
    fn after_the_end_only_leaving_is_possible() {
        let ended = Subject { room_ended: true, ..subject(Connected) };
        for t in [Admit, Deny, Kick, Ban, Promote, Resume, Connect] {
            let actor = if is_host_transition(t) { host() } else { None };
            assert_eq!(step(ended, t, actor), Err(Refusal::RoomEnded), "{t:?}");
        }
        assert!(step(ended, Leave, None).is_ok());
        assert!(step(ended, Disconnect, None).is_ok());
    }

    #[test]
    fn ending_the_room_moves_everyone_still_inside() {
        assert_eq!(moved_by(EndRoom), vec![Waiting, Admitted, Connected]);
    }

    #[test]
    fn promotion_makes_a_guest_a_host_once() {
        let s = step(subject(Connected), Promote, host()).unwrap();
        assert_eq!((s.role, s.to, s.slot), (Role::Host, Connected, Count::Keep));
        let already = Subject { role: Role::Host, ..subject(Connected) };
        assert_eq!(step(already, Promote, host()), Err(Refusal::InvalidState));
    }

    #[test]
    fn entry_follows_key_lock_ban_and_waiting_room() {
        let open = RoomFacts { ended: false, locked: false, waiting_room: false };
        let guest = |room, banned| entry(room, Credential::Guest, banned).map(|e| e.status);
        assert_eq!(guest(open, false), Ok(Admitted));
        assert_eq!(guest(RoomFacts { waiting_room: true, ..open }, false), Ok(Waiting));
        assert_eq!(guest(RoomFacts { locked: true, ..open }, false), Err(Refusal::RoomLocked));
        assert_eq!(guest(open, true), Err(Refusal::Banned));
        assert_eq!(guest(RoomFacts { ended: true, ..open }, false), Err(Refusal::RoomEnded));
        assert_eq!(entry(open, Credential::WrongHostKey, false), Err(Refusal::InvalidHostKey));
        let every_obstacle = RoomFacts { ended: false, locked: true, waiting_room: true };
        let owner = entry(every_obstacle, Credential::HostKey, true).unwrap();
        assert_eq!((owner.role, owner.owner, owner.status), (Role::Host, true, Admitted));
        let ended = RoomFacts { ended: true, ..open };
        assert_eq!(entry(ended, Credential::HostKey, false), Err(Refusal::RoomEnded));
    }

    #[test]
    fn a_slot_is_held_while_connected_or_within_the_grace_period() {
        let grace = Duration::from_secs(30);
        let now = 1_000_000;
        assert!(holds_slot(Connected, None, now, grace));
        assert!(holds_slot(Admitted, Some(now - 29_000), now, grace));
        assert!(!holds_slot(Admitted, Some(now - 30_000), now, grace));
        assert_eq!(effective_status(Admitted, Some(now - 31_000), now, grace), Left);
        for other in [Waiting, Left, Kicked, Banned, Denied] {
            assert!(!holds_slot(other, Some(now), now, grace), "{other:?}");
        }
    }
}
