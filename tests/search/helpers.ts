import type { Message, MessageKind } from '../../src/core/msgstore/model';
import { foldText, searchableText } from '../../src/core/search/fold';
import { IndexBuilder, type BucketRecord, type IndexBuilderOptions, type IndexMeta } from '../../src/core/search/index';
import { SearchEngine, type DocRef } from '../../src/core/search/engine';
import { MemoryIndexStorage } from '../../src/core/search/memory-storage';
import type { SearchFilters } from '../../src/core/search/query';

export interface TestChat {
  id: number;
  peerJid?: string;
  messages: Message[];
}

let nextId = 1;
export function msg(pos: number, text: string | undefined, extra: Partial<Message> = {}): Message {
  return { id: nextId++, pos, ts: 1_600_000_000_000 + pos * 60_000, fromMe: false, kind: 'text' as MessageKind, type: 0, text, ...extra };
}

export interface Built {
  engine: SearchEngine;
  storage: MemoryIndexStorage;
  meta: IndexMeta;
  records: BucketRecord[];
  chats: TestChat[];
}

/** Builds the index; `pageSize` feeds chats in pages; flushes whenever the builder asks. */
export function build(chats: TestChat[], opts: IndexBuilderOptions & { pageSize?: number } = {}): Built {
  const b = new IndexBuilder(opts);
  const records: BucketRecord[] = [];
  const page = opts.pageSize ?? 500;
  for (const c of chats) {
    for (let i = 0; i < c.messages.length; i += page) {
      b.add(c.id, c.messages.slice(i, i + page), c.peerJid);
      if (b.needsFlush) records.push(...b.flush());
    }
    if (c.messages.length === 0) b.add(c.id, [], c.peerJid);
  }
  const { meta, buckets } = b.finish();
  records.push(...buckets);
  const byRef = new Map<string, Message>();
  for (const c of chats) for (const m of c.messages) byRef.set(`${c.id}:${m.pos}`, m);
  const storage = new MemoryIndexStorage(meta, records, (r: DocRef) => {
    const m = byRef.get(`${r.chatId}:${r.pos}`);
    return m ? searchableText(m) : undefined;
  });
  return { engine: new SearchEngine(storage), storage, meta, records, chats };
}

export interface Ref {
  chatId: number;
  pos: number;
  ts: number;
}

/** Brute force: every non-system message whose folded text contains every needle. */
export function oracle(chats: TestChat[], needles: string[], f: SearchFilters = {}): Ref[] {
  const out: Ref[] = [];
  for (const c of chats) {
    if (f.chatId !== undefined && c.id !== f.chatId) continue;
    for (const m of c.messages) {
      if (m.kind === 'system' || m.system) continue;
      if (f.sender !== undefined) {
        const s = m.fromMe ? 'me' : (m.sender?.jid ?? c.peerJid);
        if (s !== f.sender) continue;
      }
      if (f.since !== undefined && m.ts < f.since) continue;
      if (f.until !== undefined && m.ts >= f.until) continue;
      if (f.kind === 'text' && m.kind !== 'text') continue;
      if (f.kind === 'document' && m.kind !== 'document') continue;
      if (f.kind === 'media' && !['image', 'video', 'gif', 'audio', 'voice', 'video-note', 'sticker', 'view-once'].includes(m.kind)) continue;
      if (f.kind === 'link' && !(m.link?.url || /\bhttps?:\/\/|\bwww\.[^\s.]/i.test(m.text ?? ''))) continue;
      const folded = foldText(searchableText(m));
      if (needles.every((n) => folded.includes(n))) out.push({ chatId: c.id, pos: m.pos, ts: m.ts });
    }
  }
  return out;
}

export const key = (r: { chatId: number; pos: number }): string => `${r.chatId}:${r.pos}`;
export const keys = (rs: { chatId: number; pos: number }[]): string[] => rs.map(key).sort();
