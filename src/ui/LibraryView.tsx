import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ChatSummary, LibrarySummary, WireError } from '../worker/protocol';
import { ConversationView } from './conversation/ConversationView';
import { asWire, worker } from './App';
import { errorText, formatCount } from './messages';

interface Props {
  library: LibrarySummary;
  justOpened: boolean;
  onBack: () => void;
}

function chatTime(ts: number): string {
  if (!ts) return '';
  const d = new Date(ts);
  const now = new Date();
  if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (d.getFullYear() === now.getFullYear()) return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

function ChatItem({ chat, selected, onSelect }: { chat: ChatSummary; selected: boolean; onSelect: () => void }) {
  return (
    <li class={selected ? 'chat-item selected' : 'chat-item'}>
      <button type="button" aria-current={selected ? 'true' : undefined} onClick={onSelect}>
        <span class="chat-title" dir="auto">
          {chat.title}
        </span>
        <time class="chat-time" dateTime={new Date(chat.lastActivity).toISOString()}>
          {chatTime(chat.lastActivity)}
        </time>
        <span class="chat-preview" dir="auto">
          {chat.preview}
        </span>
      </button>
    </li>
  );
}

export function LibraryView({ library, justOpened, onBack }: Props) {
  const [chats, setChats] = useState<ChatSummary[] | undefined>();
  const [error, setError] = useState<WireError | undefined>();
  const [filter, setFilter] = useState('');
  const [openChatId, setOpenChatId] = useState<number | undefined>();

  useEffect(() => {
    worker.call('listChats', { libraryId: library.id }).then(setChats, (e) => setError(asWire(e)));
  }, [library.id]);

  const visible = useMemo(() => {
    const needle = filter.trim().toLocaleLowerCase();
    const matching = (chats ?? []).filter((c) => needle === '' || c.title.toLocaleLowerCase().includes(needle));
    return { active: matching.filter((c) => !c.archived), archived: matching.filter((c) => c.archived) };
  }, [chats, filter]);

  const openChat = chats?.find((c) => c.id === openChatId);

  return (
    <div class={openChat ? 'library-view chat-open' : 'library-view'}>
      <aside class="sidebar">
        <header class="sidebar-header">
          <button type="button" class="back" onClick={onBack} aria-label="Back to libraries">
            ←
          </button>
          <div>
            <h1 class="library-title" dir="auto">
              {library.fileName}
            </h1>
            <p role="status" class="summary">
              {justOpened ? 'Opened: ' : ''}
              {formatCount(library.chatCount, 'chat', 'chats')}, {formatCount(library.messageCount, 'message', 'messages')}
            </p>
          </div>
        </header>
        <div class="filter">
          <label for="chat-filter" class="visually-hidden">
            Filter chats
          </label>
          <input
            id="chat-filter"
            type="search"
            placeholder="Filter chats by name"
            value={filter}
            onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        {error && (
          <p role="alert" class="error">
            {errorText(error)}
          </p>
        )}
        {chats && (
          <nav class="chat-lists" aria-label="Chat list">
            <ul aria-label="Chats" class="chats">
              {visible.active.map((chat) => (
                <ChatItem key={chat.id} chat={chat} selected={chat.id === openChatId} onSelect={() => setOpenChatId(chat.id)} />
              ))}
            </ul>
            {visible.active.length === 0 && <p class="empty">{filter ? 'No chat has that name.' : 'No chats.'}</p>}
            {visible.archived.length > 0 && (
              <section aria-labelledby="archived-heading">
                <h2 id="archived-heading" class="section-heading">
                  Archived
                </h2>
                <ul aria-label="Archived chats" class="chats">
                  {visible.archived.map((chat) => (
                    <ChatItem key={chat.id} chat={chat} selected={chat.id === openChatId} onSelect={() => setOpenChatId(chat.id)} />
                  ))}
                </ul>
              </section>
            )}
          </nav>
        )}
      </aside>
      <main class="conversation-pane">
        {openChat ? (
          <ConversationView
            key={`${library.id}:${openChat.id}`}
            chat={openChat}
            loadPage={(page) => worker.call('readPage', { libraryId: library.id, chatId: openChat.id, page })}
            onClose={() => setOpenChatId(undefined)}
          />
        ) : (
          <div class="placeholder">
            <p>Choose a chat to read it.</p>
          </div>
        )}
      </main>
    </div>
  );
}
