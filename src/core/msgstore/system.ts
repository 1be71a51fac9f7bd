/**
 * System messages (`message_type` 7; legacy `status = 6` rows, code in `media_size`) rendered as
 * plain wording. Table-driven from msgstore-schema.md §2.9: only codes where several sources
 * agree get their own wording; everything else gets "System message (code N)".
 */
import type { SystemEvent } from './model';

export interface SystemContext {
  /** Who did it: "You", or a person's title; undefined when the row does not say. */
  actor?: string;
  /** The people it was done to (`message_system_chat_participant`), as titles. */
  targets?: readonly string[];
  /** The new value: group name or description (`text_data` / legacy `data`). */
  value?: string;
  /** The previous value (`message_system_value_change.old_data`). */
  oldValue?: string;
  /** Number change: old and new titles. */
  oldNumber?: string;
  newNumber?: string;
  /** `message_system_block_contact.is_blocked`. */
  blocked?: boolean;
}

type Render = (c: Required<Pick<SystemContext, 'targets'>> & SystemContext) => string;

const who = (c: SystemContext) => c.actor ?? 'Someone';
const list = (names: readonly string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
const quoted = (v: string | undefined) => (v ? ` “${v}”` : '');

const added: Render = (c) =>
  c.targets.length ? (c.actor ? `${c.actor} added ${list(c.targets)}` : `${list(c.targets)} joined`) : `${who(c)} joined`;
const left: Render = (c) => `${c.targets.length ? list(c.targets) : who(c)} left`;
const removed: Render = (c) =>
  c.targets.length ? `${who(c)} removed ${list(c.targets)}` : c.actor ? `${c.actor} removed a participant` : 'You were removed';
const numberChanged: Render = (c) =>
  c.oldNumber && c.newNumber
    ? `${c.oldNumber} changed their phone number to ${c.newNumber}`
    : `${who(c)} changed their phone number`;
const timer: Render = (c) => `${who(c)} changed the disappearing messages timer`;

const RENDERERS: Record<number, Render> = {
  1: (c) => (c.value ? (c.actor ? `${c.actor} changed the group name to “${c.value}”` : `Group name changed to “${c.value}”`) : `${who(c)} changed the group name`),
  4: added,
  12: added,
  5: left,
  13: left,
  6: (c) => `${who(c)} changed this group's icon`,
  7: removed,
  14: removed,
  10: numberChanged,
  28: numberChanged,
  11: (c) => `${who(c)} created group${quoted(c.value)}`,
  15: (c) => (c.targets.length ? `${list(c.targets)} ${c.targets.length > 1 ? 'are' : 'is'} now an admin` : "You're now an admin"),
  18: (c) => (c.actor && c.actor !== 'You' ? `Your security code with ${c.actor} changed` : 'Security code changed'),
  19: () => 'Messages are end-to-end encrypted',
  20: (c) => `${c.targets.length ? list(c.targets) : who(c)} joined using this group's invite link`,
  21: (c) => `${who(c)} reset this group's invite link`,
  27: (c) => `${who(c)} changed the group description`,
  29: (c) => `${who(c)} changed this group's settings to allow only admins to edit this group's info`,
  30: (c) => `${who(c)} changed this group's settings to allow all participants to edit this group's info`,
  31: (c) => `${who(c)} changed this group's settings to allow only admins to send messages`,
  32: (c) => `${who(c)} changed this group's settings to allow all participants to send messages`,
  56: timer,
  58: (c) => (c.blocked === false ? 'You unblocked this contact' : 'You blocked this contact'),
  59: timer,
  67: () => 'Messages and calls are end-to-end encrypted',
  68: (c) => `${who(c)} uses a default timer for disappearing messages in new chats`,
  79: (c) => `${c.targets.length ? list(c.targets) : who(c)} joined from the community`,
  91: (c) => `${who(c)} changed this group's settings to allow all participants to add others`,
  92: (c) => `${who(c)} changed this group's settings to allow only admins to add others`,
  118: (c) => `${who(c)} pinned a message`,
  129: () => 'This contact is not in your contacts',
  132: (c) => `${who(c)} created channel${quoted(c.value)}`,
  134: () => 'This channel has added privacy for your phone number',
};

export function renderSystem(code: number, ctx: SystemContext = {}): SystemEvent {
  const render = RENDERERS[code];
  const text = render ? render({ ...ctx, targets: ctx.targets ?? [] }) : `System message (code ${code})`;
  return { code, text };
}

/** Codes with their own wording (for tests and docs). */
export const KNOWN_SYSTEM_CODES: readonly number[] = Object.keys(RENDERERS).map(Number);
