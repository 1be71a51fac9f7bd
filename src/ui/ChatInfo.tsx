/**
 * Chat info: who a chat is with. A person's number, or a group's id; the participants with
 * names, numbers and admin marks; when it was created; how many messages and media files.
 * Opened from the conversation header ("Chat info").
 */
import type { ChatSummary } from '../worker/protocol';
import { formatCount } from './messages';

function idOf(jid: string): string {
  return jid.split('@')[0] ?? jid;
}

export function ChatInfo({ chat, onClose }: { chat: ChatSummary; onClose: () => void }) {
  const isPerson = chat.kind === 'person';
  const admins = chat.participants.filter((p) => p.admin).length;
  return (
    <section class="chat-info" role="region" aria-label="Chat info">
      <header class="chat-info-header">
        <h3 dir="auto">{chat.title}</h3>
        <button type="button" onClick={onClose} aria-label="Close chat info">
          ×
        </button>
      </header>
      <dl class="chat-info-facts">
        {isPerson ? (
          <>
            <dt>Number</dt>
            <dd dir="ltr">{chat.number ?? (chat.jid.endsWith('@lid') ? `LID:${idOf(chat.jid)}` : `+${idOf(chat.jid)}`)}</dd>
          </>
        ) : (
          <>
            <dt>{chat.kind === 'group' ? 'Group id' : 'Id'}</dt>
            <dd dir="ltr">{chat.jid}</dd>
          </>
        )}
        {chat.createdAt !== undefined && (
          <>
            <dt>Created</dt>
            <dd>{new Date(chat.createdAt).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' })}</dd>
          </>
        )}
        <dt>Messages</dt>
        <dd>{chat.messageCount.toLocaleString()}</dd>
        {chat.mediaCount !== undefined && (
          <>
            <dt>Media</dt>
            <dd>{chat.mediaCount.toLocaleString()}</dd>
          </>
        )}
      </dl>
      {chat.participants.length > 0 && (
        <>
          <h4>
            {formatCount(chat.participants.length, 'participant', 'participants')}
            {admins > 0 ? ` · ${formatCount(admins, 'admin', 'admins')}` : ''}
          </h4>
          <ul class="chat-info-people" aria-label="Participants">
            {chat.participants.map((p) => (
              <li key={p.jid}>
                <span class="chat-info-name" dir="auto" title={p.number ?? p.jid}>
                  {p.title}
                </span>
                {p.number && p.number !== p.title && (
                  <span class="chat-info-number" dir="ltr">
                    {p.number}
                  </span>
                )}
                {p.admin && <span class="chat-info-admin">admin</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
