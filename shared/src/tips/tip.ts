import type { Actor, RecordedEvent } from '../event-log/event-log.ts';
import type { Projection } from '../event-log/event-store.ts';
import type { Bilingual } from '../i18n/text.ts';

/**
 * A tip's life as events on its log, and the state derived from them. Pure: no I/O.
 * The tipster is only ever the actor {kind: 'tipster', id: 'tipster'}: nothing that
 * could identify them is recorded.
 */
export const tipsterActor: Actor = { kind: 'tipster', id: 'tipster' };

export interface SharedLocation {
  latitude: number;
  longitude: number;
  accuracyMeters?: number;
  datum: 'WGS84';
}

export interface TipReceived {
  tipId: string;
  channel: 'web' | 'hotline' | 'letter' | 'visit';
  jurisdiction: string;
  unit?: string;
  industry: string;
  enterprise?: string;
  address: string;
  description: string;
  seenOn: string;
  isEmployee: boolean;
  wantsReward: boolean;
  /** Encrypted contact (ContactVault): readable by the reward officer's route alone. */
  contactSealed?: string;
  location?: SharedLocation;
  photoIds: string[];
  /** Digest of the submission: a retry with other content is refused, not merged. */
  contentDigest: string;
  acceptDeadline: string;
}

export type TipEvent =
  | { type: 'tip_received'; data: TipReceived }
  | { type: 'photo_slots_opened'; data: { photoIds: string[] } }
  | { type: 'photo_added'; data: { photoId: string; key: string; location?: SharedLocation } }
  | { type: 'question_asked'; data: { text: string } }
  | { type: 'tipster_replied'; data: { text: string; inReplyTo?: string } };

export type TipStatus =
  | 'received'
  | 'accepted'
  | 'refused'
  | 'referred'
  | 'merged'
  | 'investigating'
  | 'substantiated'
  | 'unsubstantiated'
  | 'closed';

export interface TipMessage {
  messageId: string;
  at: string;
  from: 'office' | 'tipster';
  text: string;
  inReplyTo?: string;
  /** For office messages: the officer who asked (never shown to the tipster). */
  askedBy?: string;
}

export interface TipState extends Omit<TipReceived, 'photoIds' | 'contentDigest'> {
  status: TipStatus;
  receivedAt: string;
  contentDigest: string;
  photoSlots: string[];
  photos: { photoId: string; key: string; location?: SharedLocation }[];
  messages: TipMessage[];
  timeline: { at: string; status: TipStatus; reason?: Bilingual }[];
}

export const tipStream = (tipId: string) => `TIP#${tipId}`;

/** Questions from the office not yet answered by the tipster. */
export function openQuestions(state: TipState): number {
  const answered = new Set(
    state.messages.flatMap((message) => (message.inReplyTo ? [message.inReplyTo] : [])),
  );
  return state.messages.filter(
    (message) => message.from === 'office' && !answered.has(message.messageId),
  ).length;
}

/** A message is named after the event that carries it: m<sequence>. */
function withMessage(
  state: TipState,
  event: RecordedEvent,
  message: Omit<TipMessage, 'messageId' | 'at'>,
): TipState {
  return {
    ...state,
    messages: [...state.messages, { messageId: `m${event.sequence}`, at: event.at, ...message }],
  };
}

export const tipProjection: Projection<TipState> = {
  apply(state, event: RecordedEvent) {
    const typed = event as unknown as TipEvent & { at: string; sequence: number; actor: Actor };
    if (typed.type === 'tip_received') {
      const { photoIds, ...received } = typed.data;
      return {
        ...received,
        status: 'received',
        receivedAt: event.at,
        photoSlots: photoIds,
        photos: [],
        messages: [],
        timeline: [{ at: event.at, status: 'received' }],
      };
    }
    if (!state) throw new Error(`tip event ${event.type} before tip_received`);
    switch (typed.type) {
      case 'photo_slots_opened':
        return { ...state, photoSlots: [...state.photoSlots, ...typed.data.photoIds] };
      case 'photo_added':
        if (state.photos.some((photo) => photo.photoId === typed.data.photoId)) return state;
        return { ...state, photos: [...state.photos, typed.data] };
      case 'question_asked':
        return withMessage(state, event, {
          from: 'office',
          text: typed.data.text,
          askedBy: typed.actor.id,
        });
      case 'tipster_replied':
        return withMessage(state, event, {
          from: 'tipster',
          text: typed.data.text,
          ...(typed.data.inReplyTo ? { inReplyTo: typed.data.inReplyTo } : {}),
        });
      default:
        // Events of later features (acceptance, investigation…) leave this state as it is.
        return state;
    }
  },
  indexes: (state) => ({
    // The inbox: a jurisdiction's tips by status, newest first (no Scan).
    gsi1pk: `TIPS#${state.jurisdiction}#${state.status}`,
    gsi1sk: `${state.receivedAt}#${state.tipId}`,
  }),
};

export function tipForTipster(
  state: TipState,
  jurisdiction: { code: string; zh: string; en: string },
) {
  return {
    status: state.status,
    receivedAt: state.receivedAt,
    jurisdiction,
    industry: state.industry,
    description: state.description,
    timeline: state.timeline,
    messages: state.messages.map(({ askedBy: _officer, ...message }) => message),
    openQuestions: openQuestions(state),
    photos: state.photos.length,
  };
}

export function tipSummary(state: TipState) {
  return {
    tipId: state.tipId,
    status: state.status,
    receivedAt: state.receivedAt,
    jurisdiction: state.jurisdiction,
    industry: state.industry,
    ...(state.enterprise ? { enterprise: state.enterprise } : {}),
    address: state.address,
    excerpt: state.description.slice(0, 80),
    photos: state.photos.length,
    openQuestions: openQuestions(state),
    acceptDeadline: state.acceptDeadline,
  };
}

export function tipForOfficer(state: TipState) {
  return {
    ...tipSummary(state),
    ...(state.unit ? { unit: state.unit } : {}),
    description: state.description,
    seenOn: state.seenOn,
    isEmployee: state.isEmployee,
    wantsReward: state.wantsReward,
    hasContact: Boolean(state.contactSealed),
    ...(state.location ? { location: state.location } : {}),
    photoKeys: state.photos.map((photo) => photo.key),
    messages: state.messages,
    timeline: state.timeline,
  };
}
