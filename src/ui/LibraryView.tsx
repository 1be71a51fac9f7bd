import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { memo } from 'preact/compat';
import type { ChatSummary, LibrarySummary, MediaFolderAccess, SearchHitView, WireError } from '../worker/protocol';
import { ConversationView } from './conversation/ConversationView';
import { SearchPanel, type SearchScope } from './search/SearchPanel';
import { ExportChatButton, ExportChatsButton } from './export/ExportControls';
import { SaveEncryptedCopy } from './archive/SaveEncryptedCopy';
import { LockLibrary } from './archive/LockLibrary';
import { MediaProvider, type MediaSource } from './conversation/media';
import { FolderAccessPrompt, MediaLinkControl } from './media/MediaLink';
import { ChatInfo } from './ChatInfo';
import { formatListTime } from './conversation/format';
import { GalleryButton } from './gallery/Gallery';
import { asWire, worker } from './App';
import { errorText, formatCount } from './messages';

interface Props {
  library: LibrarySummary;
  justOpened: boolean;
  onBack: () => void;
  /** The library was locked: only its encrypted form is left (back to the libraries). */
  onLocked: () => void;
  /** Shows the privacy page (storage, deleting everything). */
  onPrivacy?: () => void;
}

/**
 * One row of the chat list. Memoized: a library can hold thousands of chats, and opening one
 * must not re-render the whole list.
 */
const ChatItem = memo(function ChatItem({ chat, selected, onSelect }: { chat: ChatSummary; selected: boolean; onSelect: (chatId: number) => void }) {
  return (
    <li class={selected ? 'chat-item selected' : 'chat-item'}>
      <button type="button" aria-current={selected ? 'true' : undefined} onClick={() => onSelect(chat.id)}>
        <span class="chat-title" dir="auto" title={chat.number !== chat.title ? chat.number : undefined}>
          {chat.title}
        </span>
        <time class="chat-time" dateTime={new Date(chat.lastActivity).toISOString()}>
          {formatListTime(chat.lastActivity)}
        </time>
        <span class="chat-preview" dir="auto">
          {chat.preview}
        </span>
      </button>
    </li>
  );
});

export function LibraryView({ library, justOpened, onBack, onLocked, onPrivacy }: Props) {
  const [chats, setChats] = useState<ChatSummary[] | undefined>();
  const [error, setError] = useState<WireError | undefined>();
  const [filter, setFilter] = useState('');
  const [openChatId, setOpenChatId] = useState<number | undefined>();
  const [focusPos, setFocusPos] = useState<number | undefined>();
  const [query, setQuery] = useState('');
  /** The search panel (its filters) is shown without words too: "all documents in this chat". */
  const [filtersOpen, setFiltersOpen] = useState(false);
  const searching = query.trim() !== '' || filtersOpen;
  const [scope, setScope] = useState<SearchScope>({});
  /** The open result's matches in its chat, newest first, for stepping with up/down. */
  const [matches, setMatches] = useState<{ list: SearchHitView[]; index: number } | undefined>();
  const searchBox = useRef<HTMLInputElement>(null);
  const [mediaReport, setMediaReport] = useState(library.media);
  /** Whether a linked folder can be read now; asked again after each link and each permission answer. */
  const [folderAccess, setFolderAccess] = useState<MediaFolderAccess | undefined>();
  const [accessAsked, setAccessAsked] = useState(0);
  const [infoOpen, setInfoOpen] = useState(false);

  // Ctrl/Cmd+K, or "/" outside a text field, focuses the search box.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
      if (((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') || (e.key === '/' && !typing)) {
        e.preventDefault();
        searchBox.current?.focus();
        searchBox.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const openChat = useCallback((chatId: number, pos?: number) => {
    setOpenChatId(chatId);
    setInfoOpen(false);
    setFocusPos(pos);
  }, []);
  const selectChat = useCallback((chatId: number) => openChat(chatId), [openChat]);

  function stepMatch(delta: number) {
    if (!matches) return;
    const index = matches.index + delta;
    if (index < 0 || index >= matches.list.length) return;
    setMatches({ ...matches, index });
    setFocusPos(matches.list[index].pos);
  }

  useEffect(() => {
    worker.call('listChats', { libraryId: library.id }).then(setChats, (e) => setError(asWire(e)));
  }, [library.id]);

  const visible = useMemo(() => {
    const needle = filter.trim().toLocaleLowerCase();
    const matching = (chats ?? []).filter((c) => needle === '' || c.title.toLocaleLowerCase().includes(needle));
    return { active: matching.filter((c) => !c.archived), archived: matching.filter((c) => c.archived) };
  }, [chats, filter]);

  useEffect(() => {
    let live = true;
    worker.call('mediaFolderAccess', { libraryId: library.id }).then(
      (access) => live && setFolderAccess(access),
      () => live && setFolderAccess(undefined),
    );
    return () => {
      live = false;
    };
  }, [library.id, mediaReport, accessAsked]);

  const currentChat = chats?.find((c) => c.id === openChatId);
  // A folder waiting for permission is not "missing" files: the bubbles show their thumbnails.
  const mediaLinked = mediaReport !== undefined && folderAccess?.state !== 'prompt' && folderAccess?.state !== 'denied';
  const mediaSource = useMemo<MediaSource | undefined>(
    () =>
      openChatId === undefined
        ? undefined
        : { load: (pos) => worker.call('mediaFile', { libraryId: library.id, chatId: openChatId, pos }), linked: mediaLinked },
    // A new link (mediaReport) or an answered permission makes every bubble ask again.
    [library.id, openChatId, mediaLinked, mediaReport, folderAccess?.state],
  );
  const accessPrompt = <FolderAccessPrompt access={folderAccess} onChanged={() => setAccessAsked((n) => n + 1)} />;

  return (
    <div class={currentChat ? 'library-view chat-open' : 'library-view'}>
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
            <div class="library-actions">
              {chats && chats.length > 0 && <ExportChatsButton libraryId={library.id} chats={chats} media={mediaReport} />}
              <SaveEncryptedCopy libraryId={library.id} media={mediaReport} />
              <LockLibrary library={library} onLocked={onLocked} />
            </div>
            <MediaLinkControl libraryId={library.id} report={mediaReport} onLinked={setMediaReport} />
            {!currentChat && accessPrompt}
          </div>
          {onPrivacy && (
            <button type="button" class="link-button privacy-link" onClick={onPrivacy}>
              Privacy
            </button>
          )}
        </header>
        <div class="search-box">
          <input
            ref={searchBox}
            type="search"
            aria-label="Search messages"
            placeholder="Search messages (Ctrl+K)"
            value={query}
            onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setQuery('');
            }}
          />
          <button
            type="button"
            class="filters-toggle"
            aria-expanded={filtersOpen}
            aria-controls="search-panel"
            onClick={() => setFiltersOpen((open) => !open)}
          >
            Search filters
          </button>
        </div>
        {searching && chats && (
          <SearchPanel
            libraryId={library.id}
            chats={chats}
            query={query}
            scope={scope}
            onScopeChange={setScope}
            onOpen={(hit, inChat) => {
              setMatches({ list: inChat, index: inChat.indexOf(hit) });
              openChat(hit.chatId, hit.pos);
            }}
          />
        )}
        <div class="filter" hidden={searching}>
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
        {/* Hidden, not unmounted, while searching: rebuilding thousands of rows per search cost
            more than the search itself. */}
        {chats && (
          <nav class="chat-lists" aria-label="Chat list" hidden={searching}>
            <ul aria-label="Chats" class="chats">
              {visible.active.map((chat) => (
                <ChatItem key={chat.id} chat={chat} selected={chat.id === openChatId} onSelect={selectChat} />
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
                    <ChatItem key={chat.id} chat={chat} selected={chat.id === openChatId} onSelect={selectChat} />
                  ))}
                </ul>
              </section>
            )}
          </nav>
        )}
      </aside>
      <main class="conversation-pane">
        {currentChat && accessPrompt}
        {currentChat ? (
          <MediaProvider value={mediaSource}>
          <ConversationView
            key={`${library.id}:${currentChat.id}`}
            chat={currentChat}
            focusPos={focusPos}
            loadPage={(page) => worker.call('readPage', { libraryId: library.id, chatId: currentChat.id, page })}
            onClose={() => setOpenChatId(undefined)}
            headerExtra={
              <div class="conv-search-tools">
                {matches && matches.list[0]?.chatId === currentChat.id && (
                  <span class="match-stepper" role="group" aria-label="Matches in this chat">
                    <span>
                      {matches.index + 1} of {matches.list.length}
                    </span>
                    <button type="button" aria-label="Previous match" disabled={matches.index + 1 >= matches.list.length} onClick={() => stepMatch(1)}>
                      ↑
                    </button>
                    <button type="button" aria-label="Next match" disabled={matches.index === 0} onClick={() => stepMatch(-1)}>
                      ↓
                    </button>
                  </span>
                )}
                <button type="button" aria-expanded={infoOpen} onClick={() => setInfoOpen(!infoOpen)}>
                  Chat info
                </button>
                {infoOpen && <ChatInfo chat={currentChat} onClose={() => setInfoOpen(false)} />}
                <GalleryButton libraryId={library.id} chat={currentChat} onChoose={(pos) => openChat(currentChat.id, pos)} />
                <button
                  type="button"
                  onClick={() => {
                    setScope({ chatId: currentChat.id });
                    searchBox.current?.focus();
                  }}
                >
                  Search this chat
                </button>
                <ExportChatButton libraryId={library.id} chat={currentChat} />
              </div>
            }
          />
          </MediaProvider>
        ) : (
          <div class="placeholder">
            <p>Choose a chat to read it.</p>
          </div>
        )}
      </main>
    </div>
  );
}
