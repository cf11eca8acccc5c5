// English and Russian. The browser's languages choose; a switch in the page overrides.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { ErrorCode } from "./api";

const en = {
  language: "Language",
  createTitle: "Start a meeting",
  roomTitle: "Meeting title",
  maxParticipants: "Maximum participants",
  waitingRoom: "Waiting room (hosts admit guests)",
  create: "Create meeting",
  creating: "Creating…",
  shareLink: "Share this link with the people you meet",
  copyLink: "Copy link",
  copied: "Copied",
  enterAsHost: "Enter the meeting",
  joinTitle: "Join a meeting",
  linkOrId: "Meeting link or id",
  join: "Join",
  invalidLink: "That is not a meeting link or id (it looks like abc-defg-hij).",
  displayName: "Your name",
  camera: "Camera",
  microphone: "Microphone",
  speaker: "Speaker",
  startWithCamera: "Camera on",
  startWithMicrophone: "Microphone on",
  micLevel: "Microphone level",
  preview: "Camera preview",
  cameraOff: "Camera is off",
  joinMeeting: "Join meeting",
  joining: "Joining…",
  permissionDenied: "The browser is not allowed to use your camera or microphone. Allow it in the address bar, or join without them.",
  deviceMissing: "No camera or microphone was found. You can still join and listen.",
  deviceError: "The camera or microphone could not be started.",
  participants: "Participants",
  chat: "Chat",
  unread: "unread",
  shareScreen: "Share screen",
  leave: "Leave",
  inviteLink: "Copy invite link",
  you: "you",
  host: "host",
  speaking: "speaking",
  micOff: "microphone off",
  camOff: "camera off",
  messagePlaceholder: "Write a message",
  send: "Send",
  sendFailed: "Not sent.",
  retry: "Retry",
  sending: "sending…",
  noMessages: "No messages yet.",
  reconnecting: "Connection lost. Reconnecting…",
  left: "You left the meeting.",
  rejoin: "Rejoin",
  backHome: "Back to the start page",
  waitingForHost: "Waiting for a host to let you in…",
  roomNotFound: "This meeting does not exist. Check the link.",
  roomFull: "This meeting is full.",
  roomEnded: "This meeting has ended.",
  roomLocked: "This meeting is locked; nobody new can join.",
  rateLimited: "Too many attempts. Try again in a moment.",
  tokenExpired: "Your access to the meeting expired. Rejoin to continue.",
  sessionExpired: "Your session expired. Join again.",
  networkError: "The server cannot be reached. Check your connection.",
  invalidInput: "Check what you entered.",
  chatUnavailable: "Chat is temporarily unavailable; the meeting goes on.",
  genericError: "Something went wrong. Try again.",
  disconnected: "You were disconnected from the meeting.",
  loading: "Loading…",
  lobby: "Lobby",
  admit: "Admit",
  deny: "Deny",
  admitAll: "Admit all",
  nobodyWaiting: "Nobody is waiting.",
  muteMic: "Mute microphone",
  muteCamera: "Turn camera off",
  kick: "Remove",
  ban: "Ban",
  makeHost: "Make host",
  lockRoom: "Lock meeting",
  unlockRoom: "Unlock meeting",
  endMeeting: "End meeting for all",
  confirmEnd: "End the meeting for everyone?",
  kicked: "A host removed you from this meeting.",
  banned: "A host banned you from this meeting.",
  denied: "A host did not let you in.",
  actionFailed: "That did not work. Try again.",
  roomFullForAdmit: "The meeting is full; nobody else can be let in.",
  meetingControls: "Meeting controls",
  raiseHand: "Raise hand",
  lowerHand: "Lower hand",
  raisedHands: "Raised hands",
  handRaised: "hand raised",
  lowerAllHands: "Lower all hands",
  handsUnavailable: "Raised hands are temporarily unavailable.",
  reactions: "Reactions",
  reactThumbsUp: "Thumbs up",
  reactClap: "Applause",
  reactLaugh: "Laughter",
  reactHeart: "Love",
  reactParty: "Celebration",
  reactSurprised: "Surprise",
  speakerView: "Speaker view",
  keyboardShortcuts: "Keyboard shortcuts",
  chatAndParticipants: "Chat and participants",
  useShortcuts: "Use these single-key shortcuts",
  announceJoined: "{name} joined",
  announceLeft: "{name} left",
  announceHand: "{name} raised their hand",
  announceMessage: "Message from {name}: {text}",
  pin: "Show large",
  unpin: "Stop showing large",
  close: "Close",
  shortcutMicrophone: "Microphone on or off",
  shortcutCamera: "Camera on or off",
  shortcutHand: "Raise or lower your hand",
  shortcutChat: "Open the chat",
  shortcutLeave: "Leave the meeting",
  shortcutHelp: "Show these shortcuts",
};

export type MessageKey = keyof typeof en;

const ru: Record<MessageKey, string> = {
  language: "Язык",
  createTitle: "Начать встречу",
  roomTitle: "Название встречи",
  maxParticipants: "Максимум участников",
  waitingRoom: "Зал ожидания (гостей впускает организатор)",
  create: "Создать встречу",
  creating: "Создаём…",
  shareLink: "Отправьте эту ссылку участникам",
  copyLink: "Скопировать ссылку",
  copied: "Скопировано",
  enterAsHost: "Войти во встречу",
  joinTitle: "Присоединиться к встрече",
  linkOrId: "Ссылка или код встречи",
  join: "Присоединиться",
  invalidLink: "Это не ссылка и не код встречи (код выглядит как abc-defg-hij).",
  displayName: "Ваше имя",
  camera: "Камера",
  microphone: "Микрофон",
  speaker: "Динамик",
  startWithCamera: "Камера включена",
  startWithMicrophone: "Микрофон включён",
  micLevel: "Уровень микрофона",
  preview: "Предпросмотр камеры",
  cameraOff: "Камера выключена",
  joinMeeting: "Войти во встречу",
  joining: "Входим…",
  permissionDenied: "Браузеру запрещено использовать камеру или микрофон. Разрешите доступ в адресной строке или войдите без них.",
  deviceMissing: "Камера или микрофон не найдены. Можно войти и слушать.",
  deviceError: "Не удалось включить камеру или микрофон.",
  participants: "Участники",
  chat: "Чат",
  unread: "непрочитанных",
  shareScreen: "Показать экран",
  leave: "Выйти",
  inviteLink: "Скопировать приглашение",
  you: "вы",
  host: "организатор",
  speaking: "говорит",
  micOff: "микрофон выключен",
  camOff: "камера выключена",
  messagePlaceholder: "Напишите сообщение",
  send: "Отправить",
  sendFailed: "Не отправлено.",
  retry: "Повторить",
  sending: "отправляется…",
  noMessages: "Сообщений пока нет.",
  reconnecting: "Связь потеряна. Переподключаемся…",
  left: "Вы вышли из встречи.",
  rejoin: "Вернуться",
  backHome: "На главную",
  waitingForHost: "Ждём, пока организатор впустит вас…",
  roomNotFound: "Такой встречи нет. Проверьте ссылку.",
  roomFull: "Во встрече нет свободных мест.",
  roomEnded: "Встреча завершена.",
  roomLocked: "Встреча закрыта для новых участников.",
  rateLimited: "Слишком много попыток. Попробуйте чуть позже.",
  tokenExpired: "Доступ к встрече истёк. Войдите снова.",
  sessionExpired: "Сессия истекла. Войдите снова.",
  networkError: "Сервер недоступен. Проверьте подключение.",
  invalidInput: "Проверьте введённые данные.",
  chatUnavailable: "Чат временно недоступен; встреча продолжается.",
  genericError: "Что-то пошло не так. Попробуйте ещё раз.",
  disconnected: "Вы отключены от встречи.",
  loading: "Загрузка…",
  lobby: "Зал ожидания",
  admit: "Впустить",
  deny: "Отклонить",
  admitAll: "Впустить всех",
  nobodyWaiting: "Никто не ждёт.",
  muteMic: "Выключить микрофон",
  muteCamera: "Выключить камеру",
  kick: "Удалить",
  ban: "Заблокировать",
  makeHost: "Сделать организатором",
  lockRoom: "Закрыть встречу",
  unlockRoom: "Открыть встречу",
  endMeeting: "Завершить для всех",
  confirmEnd: "Завершить встречу для всех?",
  kicked: "Организатор удалил вас из встречи.",
  banned: "Организатор заблокировал вас в этой встрече.",
  denied: "Организатор не впустил вас.",
  actionFailed: "Не получилось. Попробуйте ещё раз.",
  roomFullForAdmit: "Во встрече нет мест, больше никого впустить нельзя.",
  meetingControls: "Управление встречей",
  raiseHand: "Поднять руку",
  lowerHand: "Опустить руку",
  raisedHands: "Поднятые руки",
  handRaised: "рука поднята",
  lowerAllHands: "Опустить все руки",
  handsUnavailable: "Поднятые руки временно недоступны.",
  reactions: "Реакции",
  reactThumbsUp: "Нравится",
  reactClap: "Аплодисменты",
  reactLaugh: "Смех",
  reactHeart: "Любовь",
  reactParty: "Праздник",
  reactSurprised: "Удивление",
  speakerView: "Вид докладчика",
  keyboardShortcuts: "Сочетания клавиш",
  chatAndParticipants: "Чат и участники",
  useShortcuts: "Использовать эти клавиши",
  announceJoined: "{name} присоединяется",
  announceLeft: "{name} выходит",
  announceHand: "{name} поднимает руку",
  announceMessage: "Сообщение от {name}: {text}",
  pin: "Показать крупно",
  unpin: "Перестать показывать крупно",
  close: "Закрыть",
  shortcutMicrophone: "Включить или выключить микрофон",
  shortcutCamera: "Включить или выключить камеру",
  shortcutHand: "Поднять или опустить руку",
  shortcutChat: "Открыть чат",
  shortcutLeave: "Выйти из встречи",
  shortcutHelp: "Показать эти сочетания",
};

export type Language = "en" | "ru";
export const LANGUAGES: Record<Language, Record<MessageKey, string>> = { en, ru };
const STORAGE_KEY = "meet.language";

/** The first of the browser's preferred languages we speak; English otherwise. */
export function detectLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "ru" || base === "en") return base;
  }
  return "en";
}

/** The message people see for an API error code. */
export function errorKey(code: string): MessageKey {
  // Keyed by the server's codes (from openapi.yaml), so a code renamed there breaks the build.
  const keys: Partial<Record<ErrorCode | "network_error", MessageKey>> = {
    room_not_found: "roomNotFound",
    room_full: "roomFull",
    room_ended: "roomEnded",
    room_locked: "roomLocked",
    rate_limited: "rateLimited",
    unauthorized: "sessionExpired",
    network_error: "networkError",
    validation_failed: "invalidInput",
    chat_unavailable: "chatUnavailable",
    hands_unavailable: "handsUnavailable",
    kicked: "kicked",
    banned: "banned",
    denied: "denied",
  };
  return keys[code as keyof typeof keys] ?? "genericError";
}

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => {
    const saved = localStorage.getItem(STORAGE_KEY);
    return saved === "en" || saved === "ru" ? saved : detectLanguage(navigator.languages ?? [navigator.language]);
  });
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const value = useMemo(() => ({ language, setLanguage, t: (key: MessageKey) => LANGUAGES[language][key] }), [language, setLanguage]);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error("useI18n outside LanguageProvider");
  return context;
}
