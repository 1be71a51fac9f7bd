import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { snippet } from '../../core/search/highlight';
import type { KindFilter, SearchFilters } from '../../core/search/query';
import type { ChatSummary, IndexStatus, SearchHitView } from '../../worker/protocol';
import { asWire, worker } from '../App';
import { errorText, formatCount } from '../messages';
import { formatShortDate } from '../conversation/format';
import './search.css';

/** Results per "Show more results", and how many a new search loads (stepping uses them). */
const PAGE = 50;
/**
 * A new search asks for this many first, then for the rest of PAGE: each result's text is read
 * from its page's search texts, so a smaller first answer shows sooner (bench: search step).
 * The first request lets a phrase query answer before its exact count; the second counts.
 */
const FIRST = 20;

export interface SearchScope {
  chatId?: number;
}

interface Props {
  libraryId: string;
  chats: ChatSummary[];
  query: string;
  scope: SearchScope;
  onScopeChange: (scope: SearchScope) => void;
  /** Open a result in its conversation. `matches` are this result list's hits in that chat. */
  onOpen: (hit: SearchHitView, matches: SearchHitView[]) => void;
}

type State =
  | { name: 'idle' }
  | { name: 'searching' }
  | { name: 'indexing'; status: IndexStatus }
  /** `counting`: the hits are shown, the exact total is still being counted (phrases). */
  | { name: 'done'; total: number; counting: boolean; hits: SearchHitView[]; ms: number }
  | { name: 'failed'; message: string };

function dayStart(value: string): number | undefined {
  if (!value) return undefined;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d).getTime();
}

/** Results for the query in the sidebar: exact count, newest first, highlighted snippets. */
export function SearchPanel({ libraryId, chats, query, scope, onScopeChange, onOpen }: Props) {
  const [kind, setKind] = useState<KindFilter | ''>('');
  const [sender, setSender] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [state, setState] = useState<State>({ name: 'idle' });
  const [more, setMore] = useState(false);
  const generation = useRef(0);
  const chatById = useMemo(() => new Map(chats.map((c) => [c.id, c])), [chats]);
  // The same elements on every render, so the thousands of options are not diffed again.
  const chatOptions = useMemo(
    () =>
      chats.map((c) => (
        <option key={c.id} value={String(c.id)}>
          {c.title}
        </option>
      )),
    [chats],
  );
  const scopedChat = scope.chatId !== undefined ? chatById.get(scope.chatId) : undefined;

  const filters: SearchFilters = {
    chatId: scope.chatId,
    kind: kind || undefined,
    sender: sender || undefined,
    since: dayStart(since),
    until: until ? dayStart(until)! + 86_400_000 : undefined,
  };
  const filterKey = JSON.stringify(filters);

  useEffect(() => {
    const mine = ++generation.current;
    const controller = new AbortController();
    if (query.trim() === '' && !filters.kind && !filters.sender && !filters.since && !filters.until) {
      setState({ name: 'idle' });
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      setState((s) => (s.name === 'done' ? s : { name: 'searching' }));
      try {
        const response = await worker.call(
          'search',
          { libraryId, query, filters, limit: FIRST, offset: 0, exactTotal: false },
          { signal: controller.signal },
        );
        if (mine !== generation.current) return;
        if (response.state === 'indexing') {
          setState({ name: 'indexing', status: response.status });
          timer = setTimeout(run, 500);
          return;
        }
        const counting = !response.totalExact;
        setState({ name: 'done', total: response.total, counting, hits: response.hits, ms: response.ms });
        if (!counting && (response.hits.length < FIRST || response.total <= FIRST)) return;
        const rest = await worker.call(
          'search',
          { libraryId, query, filters, limit: PAGE - FIRST, offset: FIRST },
          { signal: controller.signal },
        );
        if (mine !== generation.current || rest.state !== 'ready') return;
        setState((s) =>
          s.name !== 'done'
            ? s
            : { ...s, total: rest.total, counting: false, hits: s.hits.length === FIRST ? [...s.hits, ...rest.hits] : s.hits },
        );
      } catch (e) {
        if (mine === generation.current && !controller.signal.aborted) setState({ name: 'failed', message: errorText(asWire(e)) });
      }
    };
    // A short pause while typing; searching is fast, rendering each keystroke's list is not free.
    timer = setTimeout(run, 120);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [libraryId, query, filterKey]);

  async function loadMore() {
    if (state.name !== 'done') return;
    setMore(true);
    try {
      const response = await worker.call('search', { libraryId, query, filters, limit: PAGE, offset: state.hits.length });
      if (response.state === 'ready') setState({ ...state, hits: [...state.hits, ...response.hits] });
    } finally {
      setMore(false);
    }
  }

  const senders = scopedChat?.kind === 'group' ? scopedChat.participants : [];

  return (
    <section id="search-panel" class="search-panel" aria-label="Search">
      <div class="search-filters">
        <label>
          <span id="search-scope-label">In</span>
          {/* Named by its label alone: wrapped, the name would also carry the chosen chat's title. */}
          <select
            aria-labelledby="search-scope-label"
            value={scope.chatId === undefined ? '' : String(scope.chatId)}
            onChange={(e) => {
              const v = (e.currentTarget as HTMLSelectElement).value;
              setSender('');
              onScopeChange(v === '' ? {} : { chatId: Number(v) });
            }}
          >
            <option value="">All chats</option>
            {chatOptions}
          </select>
        </label>
        <label>
          <span>Kind</span>
          <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as KindFilter | '')}>
            <option value="">Any</option>
            <option value="text">Text</option>
            <option value="media">Media</option>
            <option value="document">Documents</option>
            <option value="link">Links</option>
          </select>
        </label>
        {scopedChat && (
          <label>
            <span>From</span>
            <select value={sender} onChange={(e) => setSender((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">Anyone</option>
              <option value="me">You</option>
              {scopedChat.kind === 'person' && <option value={scopedChat.jid}>{scopedChat.title}</option>}
              {senders
                .filter((p) => p.jid !== '')
                .map((p) => (
                  <option key={p.jid} value={p.jid}>
                    {p.title}
                  </option>
                ))}
            </select>
          </label>
        )}
        <label>
          <span>After</span>
          <input type="date" value={since} onInput={(e) => setSince((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          <span>Before</span>
          <input type="date" value={until} onInput={(e) => setUntil((e.currentTarget as HTMLInputElement).value)} />
        </label>
      </div>

      <p role="status" class="search-status">
        {state.name === 'idle' && 'Type words, or choose a kind, a sender or dates.'}
        {state.name === 'searching' && 'Searching…'}
        {state.name === 'indexing' &&
          `Still indexing for search: ${
            state.status.total > 0
              ? `${Math.floor((state.status.done / state.status.total) * 100)}% (${state.status.done.toLocaleString()} of ${formatCount(state.status.total, 'message', 'messages')})`
              : 'starting'
          }. The chats can be read meanwhile.`}
        {state.name === 'done' && `${formatCount(state.total, 'result', 'results')}${state.counting ? ' so far, counting…' : ''}`}
      </p>
      {state.name === 'failed' && (
        <p role="alert" class="error">
          {state.message}
        </p>
      )}

      {state.name === 'done' && (
        <>
          <ul aria-label="Search results" class="search-results">
            {state.hits.map((hit) => (
              <ResultItem
                key={`${hit.chatId}:${hit.pos}`}
                hit={hit}
                chat={chatById.get(hit.chatId)}
                query={query}
                onOpen={() => onOpen(hit, state.hits.filter((h) => h.chatId === hit.chatId))}
              />
            ))}
          </ul>
          {!state.counting && state.hits.length < state.total && (
            <button type="button" class="search-more" disabled={more} onClick={() => void loadMore()}>
              Show more results
            </button>
          )}
        </>
      )}
    </section>
  );
}

function ResultItem({ hit, chat, query, onOpen }: { hit: SearchHitView; chat?: ChatSummary; query: string; onOpen: () => void }) {
  const { segments, cutStart, cutEnd } = snippet(hit.text, query, 48);
  const who = hit.sender || chat?.title || '';
  const when = formatShortDate(hit.ts);
  return (
    <li class="search-result">
      <button type="button" onClick={onOpen}>
        <span class="result-chat" dir="auto">
          {chat?.title ?? ''}
        </span>
        <time class="result-date" dateTime={new Date(hit.ts).toISOString()}>
          {when}
        </time>
        <span class="result-text" dir="auto">
          {who && chat?.kind !== 'person' ? <span class="result-sender">{who}: </span> : null}
          {cutStart ? '…' : ''}
          {segments.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : s.text))}
          {cutEnd ? '…' : ''}
        </span>
      </button>
    </li>
  );
}
