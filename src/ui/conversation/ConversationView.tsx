/**
 * The open conversation: a header and a virtualized message log.
 *
 * Only the rows near the viewport are in the DOM. Row heights live in a Fenwick tree
 * ({@link Heights}): an estimate until a row has been laid out, then what a ResizeObserver
 * measured. The scroll position is tied to an anchor (a message and its distance from the top
 * of the viewport, or "stuck to the bottom"); whenever heights change above it (rows measured,
 * older pages loaded) the anchor is re-applied, so what the reader looks at does not move.
 *
 * Pages are loaded lazily through `loadPage` (newest first, then whatever the viewport needs)
 * and kept in a small LRU ({@link PageCache}).
 */
import './conversation.css';
import { Component, type ComponentChildren } from 'preact';
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChatKind, Message } from '../../core/msgstore/model';
import type { ChatSummary, MessagePage } from '../../worker/protocol';
import { estimateHeight } from './estimate';
import { dayKey, dayLabel, formatShortDate, plural, senderColour } from './format';
import { Heights } from './heights';
import { MessageBubble } from './MessageBubble';
import { PageCache } from './pageCache';

export interface ConversationViewProps {
  chat: ChatSummary;
  loadPage: (page: number) => Promise<MessagePage>;
  /** Open scrolled to this message (its `pos`), highlighted. Changing it later jumps again. */
  focusPos?: number;
  onClose?: () => void;
  /** Extra controls for the header (export, …). */
  headerExtra?: ComponentChildren;
}

const ESTIMATE = 64;
/** Rendered beyond the viewport on each side when the window is recomputed (px). */
const OVERSCAN_PX = 1000;
/** The window is recomputed when fewer than this many px remain rendered beyond the viewport. */
const MARGIN_PX = 450;
const MAX_ROWS = 240;
const CACHE_PAGES = 20;
const HIGHLIGHT_MS = 2600;

type Anchor =
  | { kind: 'bottom' }
  /**
   * `top`: scrollTop = top of row `index` + offset. `bottom`: scrollTop = bottom of row `index`
   * + offset (a row that grows at its top, e.g. a day separator appearing when the page before
   * it loads, then pushes upwards, and what is below it stays put). `center`: the row centred.
   */
  | { kind: 'row'; index: number; offset: number; edge: 'top' | 'bottom' | 'center' };

interface RowProps {
  index: number;
  message: Message;
  dayText?: string;
  showSender: boolean;
  continued: boolean;
  highlighted: boolean;
  chatKind: ChatKind;
  chatTitle: string;
  setSize: number;
  onJump: (pos: number) => void;
}

/** One row (day separator + bubble); re-renders only when its own props change. */
class Row extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    const p = this.props;
    return (
      p.message !== next.message ||
      p.dayText !== next.dayText ||
      p.showSender !== next.showSender ||
      p.continued !== next.continued ||
      p.highlighted !== next.highlighted ||
      p.chatTitle !== next.chatTitle ||
      p.setSize !== next.setSize ||
      p.index !== next.index
    );
  }

  override render({ index, message, dayText, showSender, continued, highlighted, chatKind, chatTitle, setSize, onJump }: RowProps) {
    return (
      <div class={`conv-row${continued ? ' conv-row-continued' : ''}`} data-index={index}>
        {dayText && (
          <div class="conv-day">
            <span dir="auto">{dayText}</span>
          </div>
        )}
        <MessageBubble
          message={message}
          chatKind={chatKind}
          chatTitle={chatTitle}
          showSender={showSender}
          continued={continued}
          highlighted={highlighted}
          setSize={setSize}
          onJump={onJump}
        />
      </div>
    );
  }
}

function sameAuthor(a: Message, b: Message): boolean {
  return a.fromMe === b.fromMe && a.sender?.jid === b.sender?.jid && a.kind !== 'system' && b.kind !== 'system';
}

/** Local midnight of a `YYYY-MM-DD` date input value. */
function parseDateInput(value: string): number | undefined {
  const m = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

function dateInputValue(ts: number): string {
  const d = new Date(ts);
  return `${String(d.getFullYear()).padStart(4, '0')}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function ConversationView({ chat, loadPage, focusPos, onClose, headerExtra }: ConversationViewProps) {
  const pageSize = Math.max(1, chat.pageSize);
  const count = Math.max(0, Math.min(chat.messageCount, chat.pageCount * pageSize));
  const isGroup = chat.kind === 'group' || chat.kind === 'broadcast';

  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  const scrollRef = useRef<HTMLDivElement>(null);
  const spacerRef = useRef<HTMLDivElement>(null);
  const windowRef = useRef<HTMLDivElement>(null);
  const stickyRef = useRef<HTMLDivElement>(null);
  const [, setVersion] = useState(0);
  const [highlight, setHighlight] = useState<number | undefined>(undefined);
  const [showNewest, setShowNewest] = useState(false);
  const [jumpStatus, setJumpStatus] = useState('');
  const [jumping, setJumping] = useState(false);
  const dateId = useId();

  // Everything the virtualizer mutates lives here, outside Preact's state, so scroll handling
  // does not re-render unless the rendered window has to change.
  const core = useMemo(() => {
    const c = {
      heights: new Heights(count, ESTIMATE),
      cache: undefined as unknown as PageCache,
      anchor: (focusPos === undefined
        ? { kind: 'bottom' }
        : { kind: 'row', index: Math.min(Math.max(0, focusPos), Math.max(0, count - 1)), offset: 0, edge: 'center' }) as Anchor,
      start: 0,
      end: -1,
      /**
       * The scrollTop we last set or saw. Anything else means the reader scrolled (and the scroll
       * event may not have fired yet): the anchor must be re-read before heights change.
       */
      knownTop: 0,
      observed: new Set<Element>(),
      alive: true,
      focusAfterRender: undefined as number | undefined,
      rerender: () => {},
      stickyTimer: 0,
    };
    const around = c.anchor.kind === 'bottom' ? count - 1 : c.anchor.index;
    c.start = Math.max(0, around - 20);
    c.end = Math.min(count - 1, around + 20);
    c.cache = new PageCache(
      CACHE_PAGES,
      (page) => loadRef.current(page),
      (page, data) => {
        if (!c.alive) return;
        captureRef.current();
        // Content-based estimates for rows not laid out yet keep the scrollbar honest.
        data.messages.forEach((m, i) => c.heights.set(page * pageSize + i, estimateHeight(m, isGroup), false));
        applyAnchorRef.current();
        c.rerender();
      },
    );
    return c;
    // The view is keyed per chat by its parent; these identify the chat's data.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chat.id, count, pageSize]);
  core.rerender = () => setVersion((v) => v + 1);

  const messageAt = (pos: number): Message | undefined => {
    if (pos < 0 || pos >= count) return undefined;
    const page = Math.floor(pos / pageSize);
    return core.cache.peek(page)?.messages[pos - page * pageSize];
  };

  /** Loads what rows `from..to` need (and touches their pages in the LRU). */
  const requestRows = (from: number, to: number) => {
    if (count === 0) return;
    const first = Math.floor(Math.max(0, from) / pageSize);
    const last = Math.floor(Math.min(count - 1, to) / pageSize);
    // Nearest the bottom of the window first: that is where the reader came from.
    for (let p = last; p >= first; p--) {
      if (core.cache.peek(p)) core.cache.touch(p);
      else if (!core.cache.isPending(p) && !core.cache.failed.has(p)) core.cache.load(p).catch(() => core.alive && core.rerender());
    }
  };

  /** Recomputes the rendered window from the scroll position; true when it changed. */
  const updateRange = (force = false): boolean => {
    const el = scrollRef.current;
    if (!el || count === 0) return false;
    const h = core.heights;
    const top = el.scrollTop;
    const bottom = top + el.clientHeight;
    const needStart = h.indexAt(top - MARGIN_PX);
    const needEnd = h.indexAt(bottom + MARGIN_PX);
    let changed = false;
    if (force || core.start > needStart || core.end < needEnd || core.end - core.start > MAX_ROWS) {
      let start = h.indexAt(top - OVERSCAN_PX);
      let end = h.indexAt(bottom + OVERSCAN_PX);
      if (end - start > MAX_ROWS) {
        const mid = h.indexAt((top + bottom) / 2);
        start = Math.max(0, mid - MAX_ROWS / 2);
        end = Math.min(count - 1, start + MAX_ROWS);
      }
      changed = start !== core.start || end !== core.end;
      core.start = start;
      core.end = end;
    }
    requestRows(core.start - 1, core.end);
    return changed;
  };

  /** Puts the scroll position where the anchor says, after heights changed. */
  const applyAnchor = () => {
    const el = scrollRef.current;
    if (!el) return;
    const h = core.heights;
    if (spacerRef.current) spacerRef.current.style.height = `${h.total}px`;
    if (windowRef.current) windowRef.current.style.transform = `translateY(${h.offsetOf(core.start)}px)`;
    const max = Math.max(0, h.total - el.clientHeight);
    const a = core.anchor;
    let target: number;
    if (a.kind === 'bottom') target = max;
    else if (a.edge === 'center') target = h.offsetOf(a.index) - Math.max(0, (el.clientHeight - h.get(a.index)) / 2);
    else if (a.edge === 'bottom') target = h.offsetOf(a.index + 1) + a.offset;
    else target = h.offsetOf(a.index) + a.offset;
    target = Math.min(Math.max(0, target), max);
    if (Math.abs(el.scrollTop - target) >= 1) el.scrollTop = target;
    core.knownTop = el.scrollTop;
  };
  const applyAnchorRef = useRef(applyAnchor);
  applyAnchorRef.current = applyAnchor;

  const updateChrome = () => {
    const el = scrollRef.current;
    if (!el) return;
    const farFromBottom = core.heights.total - (el.scrollTop + el.clientHeight) > el.clientHeight * 1.5;
    setShowNewest((v) => (v === farFromBottom ? v : farFromBottom));
  };

  const updateSticky = (show: boolean) => {
    const el = scrollRef.current;
    const chip = stickyRef.current;
    if (!el || !chip) return;
    const m = messageAt(core.heights.indexAt(el.scrollTop + 8));
    const text = m ? dayLabel(m.ts) : '';
    if (chip.textContent !== text) chip.textContent = text;
    if (show && text) {
      chip.classList.add('is-visible');
      clearTimeout(core.stickyTimer);
      core.stickyTimer = window.setTimeout(() => chip.classList.remove('is-visible'), 1200);
    }
  };

  /**
   * When the scroll position moved since we last knew it, the reader scrolled: take the anchor
   * from where they are now. Called before anything changes heights, so a pending scroll is
   * never undone by re-applying an old anchor. Returns true when the reader had scrolled.
   */
  const captureScroll = (): boolean => {
    const el = scrollRef.current;
    if (!el || count === 0) return false;
    const top = el.scrollTop;
    if (Math.abs(top - core.knownTop) <= 1.5) return false;
    core.knownTop = top;
    const h = core.heights;
    if (top + el.clientHeight >= h.total - 4) core.anchor = { kind: 'bottom' };
    else {
      // Anchor on the first visible row that has content (rows still loading above it change
      // height when their page arrives; the reader is looking at this one), by its bottom edge.
      // It must be a row that is on screen now (rendered and measured): rows not rendered
      // yet only have estimates, and anchoring on one would shift what the reader sees.
      let index = h.indexAt(top);
      const lastVisible = Math.min(h.indexAt(top + el.clientHeight), core.end);
      let probe = Math.max(index, core.start);
      while (probe <= lastVisible && (messageAt(probe) === undefined || !h.isMeasured(probe))) probe++;
      if (probe <= lastVisible) index = probe;
      core.anchor = { kind: 'row', index, offset: top - h.offsetOf(index + 1), edge: 'bottom' };
    }
    return true;
  };
  const captureRef = useRef(captureScroll);
  captureRef.current = captureScroll;

  const onScroll = () => {
    const userScroll = captureScroll();
    if (updateRange()) core.rerender();
    updateChrome();
    updateSticky(userScroll);
  };

  // Measure rendered rows; re-anchor when any height changed.
  const observer = useMemo(
    () =>
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver((entries) => {
            if (!core.alive) return;
            captureRef.current();
            let changed = false;
            for (const e of entries) {
              const el = e.target as HTMLElement;
              if (!el.isConnected) continue;
              const index = Number(el.dataset.index);
              const size = e.borderBoxSize?.[0]?.blockSize ?? el.offsetHeight;
              if (Number.isFinite(index) && size > 0 && core.heights.set(index, size, true) !== 0) changed = true;
            }
            if (changed) {
              applyAnchorRef.current();
              core.rerender();
            }
          }),
    [core],
  );

  // After every render: observe the rendered rows, measure them right away (so the geometry is
  // right before the first paint, not a frame later), and put the anchor back in place.
  useLayoutEffect(() => {
    captureScroll();
    const win = windowRef.current;
    if (win) {
      const seen = new Set<Element>();
      for (const child of Array.from(win.children) as HTMLElement[]) {
        if (child.hasAttribute('data-placeholder')) continue;
        seen.add(child);
        const size = child.getBoundingClientRect().height;
        if (size > 0) core.heights.set(Number(child.dataset.index), size, true);
        if (observer && !core.observed.has(child)) {
          observer.observe(child);
          core.observed.add(child);
        }
      }
      for (const el of core.observed) {
        if (!seen.has(el)) {
          observer?.unobserve(el);
          core.observed.delete(el);
        }
      }
    }
    applyAnchor();
    if (updateRange()) core.rerender();
    if (core.focusAfterRender !== undefined) {
      const target = scrollRef.current?.querySelector<HTMLElement>(`[data-pos="${core.focusAfterRender}"]`);
      if (target) {
        target.focus({ preventScroll: true });
        core.focusAfterRender = undefined;
      }
    }
  });

  useEffect(() => {
    core.alive = true;
    return () => {
      core.alive = false;
      clearTimeout(core.stickyTimer);
      observer?.disconnect();
      core.observed.clear();
    };
  }, [core, observer]);

  // Re-anchor when the viewport itself changes size (window resize, keyboard, split view).
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      captureRef.current();
      applyAnchorRef.current();
      core.rerender();
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [core]);

  const jumpTo = useCallback(
    async (pos: number, opts: { align?: 'center' | 'start'; highlight?: boolean; focus?: boolean } = {}) => {
      if (count === 0) return;
      const index = Math.min(Math.max(0, Math.floor(pos)), count - 1);
      try {
        await core.cache.load(Math.floor(index / pageSize));
      } catch {
        // The failure banner offers a retry; still move there.
      }
      if (!core.alive) return;
      captureRef.current();
      core.anchor = { kind: 'row', index, offset: 0, edge: opts.align === 'start' ? 'top' : 'center' };
      applyAnchorRef.current();
      core.start = Math.max(0, index - 20);
      core.end = Math.min(count - 1, index + 20);
      if (opts.highlight !== false) setHighlight(index);
      if (opts.focus !== false) core.focusAfterRender = index;
      core.rerender();
    },
    [core, count, pageSize],
  );

  // Open at focusPos (or the newest message), and jump again when focusPos changes.
  const firstFocus = useRef(true);
  useEffect(() => {
    if (count === 0) return;
    if (focusPos !== undefined) void jumpTo(focusPos, { focus: true });
    else if (firstFocus.current) requestRows(count - 1, count - 1);
    firstFocus.current = false;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusPos, core]);

  useEffect(() => {
    if (highlight === undefined) return;
    const t = window.setTimeout(() => setHighlight(undefined), HIGHLIGHT_MS);
    return () => clearTimeout(t);
  }, [highlight]);

  const onJump = useCallback((pos: number) => void jumpTo(pos), [jumpTo]);

  /** First message on or after local midnight of `ts`: binary search over pages, O(log pages) loads. */
  const findFirstOnOrAfter = async (ts: number): Promise<number | undefined> => {
    const pages = Math.ceil(count / pageSize);
    let lo = 0;
    let hi = pages - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const page = await core.cache.load(mid);
      const last = page.messages[page.messages.length - 1];
      if (last && last.ts >= ts) {
        found = mid;
        hi = mid - 1;
      } else lo = mid + 1;
    }
    if (found < 0) return undefined;
    const msgs = (await core.cache.load(found)).messages;
    let a = 0;
    let b = msgs.length - 1;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (msgs[mid].ts >= ts) b = mid;
      else a = mid + 1;
    }
    return found * pageSize + a;
  };

  const onJumpToDate = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem('date') as HTMLInputElement | null;
    const ts = input ? parseDateInput(input.value) : undefined;
    if (ts === undefined) {
      setJumpStatus('Choose a date first.');
      return;
    }
    setJumping(true);
    setJumpStatus('');
    try {
      const pos = await findFirstOnOrAfter(ts);
      if (!core.alive) return;
      if (pos === undefined) {
        setJumpStatus(`No messages on or after ${formatShortDate(ts)}.`);
        void jumpTo(count - 1, { align: 'center', highlight: false, focus: false });
      } else {
        const m = messageAt(pos);
        setJumpStatus(m && dayKey(m.ts) !== dayKey(ts) ? `No messages that day; showing ${formatShortDate(m.ts)}.` : '');
        void jumpTo(pos, { align: 'start' });
      }
    } catch {
      if (core.alive) setJumpStatus('Could not load messages to find that date.');
    } finally {
      if (core.alive) setJumping(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const el = scrollRef.current;
    if (!el) return;
    const t = e.target as HTMLElement;
    if (t !== el && t.tagName !== 'ARTICLE') return;
    const h = core.heights;
    const step = Math.max(40, el.clientHeight * 0.9);
    let target: number | undefined;
    if (e.key === 'PageUp') target = el.scrollTop - step;
    else if (e.key === 'PageDown') target = el.scrollTop + step;
    else if (e.key === 'Home' && !e.shiftKey) target = 0;
    else if (e.key === 'End' && !e.shiftKey) target = h.total;
    if (target === undefined) return;
    e.preventDefault();
    captureScroll();
    if (e.key === 'Home') {
      core.anchor = { kind: 'row', index: 0, offset: 0, edge: 'top' };
      applyAnchor();
    } else if (e.key === 'End') {
      core.anchor = { kind: 'bottom' };
      applyAnchor();
    } else el.scrollTo({ top: target, behavior: 'auto' });
    onScroll();
  };

  const scrollToNewest = () => {
    captureScroll();
    core.anchor = { kind: 'bottom' };
    applyAnchor();
    onScroll();
    scrollRef.current?.focus({ preventScroll: true });
  };

  const retry = () => {
    core.cache.failed.clear();
    requestRows(core.start - 1, core.end);
    core.rerender();
  };

  // ---- rows of the current window ----
  const h = core.heights;
  const rows: ComponentChildren[] = [];
  let failedInView = false;
  const now = Date.now();
  for (let i = core.start; i <= core.end && i < count; i++) {
    const m = messageAt(i);
    if (!m) {
      if (core.cache.failed.has(Math.floor(i / pageSize))) failedInView = true;
      rows.push(
        <div key={i} class="conv-row conv-placeholder" data-index={i} data-placeholder="" aria-hidden="true" style={{ height: `${h.get(i)}px` }}>
          <div class={`conv-skeleton${i % 3 === 0 ? ' conv-skeleton-out' : ''}`} />
        </div>,
      );
      continue;
    }
    const prev = messageAt(i - 1);
    const newDay = i === 0 || (prev !== undefined && dayKey(prev.ts) !== dayKey(m.ts));
    const continued = !newDay && prev !== undefined && sameAuthor(prev, m);
    rows.push(
      <Row
        key={i}
        index={i}
        message={m}
        dayText={newDay ? dayLabel(m.ts, now) : undefined}
        showSender={!continued}
        continued={continued}
        highlighted={highlight === i}
        chatKind={chat.kind}
        chatTitle={chat.title}
        setSize={count}
        onJump={onJump}
      />,
    );
  }

  const initial = chat.title.replace(/^[+\s]+/, '').charAt(0).toUpperCase() || '#';

  return (
    <section class="conv" aria-labelledby={`${dateId}-title`}>
      <header class="conv-header">
        {onClose && (
          <button type="button" class="conv-icon-button conv-back" onClick={onClose} aria-label="Back to chats">
            <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
              <path d="M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20z" fill="currentColor" />
            </svg>
          </button>
        )}
        <div class={`conv-avatar avatar-c${senderColour(chat.jid)}`} aria-hidden="true">
          {initial}
        </div>
        <div class="conv-heading">
          <h2 id={`${dateId}-title`} dir="auto">
            {chat.title}
          </h2>
          <p class="conv-sub">
            <span>{plural(count, 'message', 'messages')}</span>
            {chat.kind === 'group' && <span>{plural(chat.participants.length, 'participant', 'participants')}</span>}
          </p>
        </div>
        <form class="conv-jump" onSubmit={onJumpToDate}>
          <label class="visually-hidden" for={dateId}>
            Jump to date
          </label>
          <input
            id={dateId}
            name="date"
            type="date"
            max={chat.lastActivity ? dateInputValue(chat.lastActivity) : undefined}
            disabled={count === 0}
          />
          <button type="submit" class="conv-button" disabled={count === 0 || jumping}>
            Go
          </button>
        </form>
        {headerExtra && <div class="conv-extra">{headerExtra}</div>}
      </header>
      <p class="conv-jump-status" role="status">
        {jumpStatus}
      </p>
      <div class="conv-body">
        <div class="conv-sticky-day" ref={stickyRef} aria-hidden="true" />
        <div
          ref={scrollRef}
          class="conv-log"
          role="log"
          aria-label={chat.title}
          aria-live="off"
          tabIndex={0}
          onScroll={onScroll}
          onKeyDown={onKeyDown}
        >
          {count === 0 ? (
            <p class="conv-empty">No messages in this chat.</p>
          ) : (
            <div class="conv-spacer" ref={spacerRef} style={{ height: `${h.total}px` }}>
              <div class="conv-window" ref={windowRef} style={{ transform: `translateY(${h.offsetOf(core.start)}px)` }}>
                {rows}
              </div>
            </div>
          )}
        </div>
        {failedInView && (
          <div class="conv-error" role="alert">
            <span>Some messages could not be loaded.</span>
            <button type="button" class="conv-button" onClick={retry}>
              Retry
            </button>
          </div>
        )}
        {showNewest && (
          <button type="button" class="conv-newest" onClick={scrollToNewest} aria-label="Scroll to the newest message">
            <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
              <path d="M7.4 8.6 12 13.2l4.6-4.6L18 10l-6 6-6-6z" fill="currentColor" />
            </svg>
          </button>
        )}
      </div>
    </section>
  );
}

