/**
 * Which schema era a msgstore.db belongs to, by looking at tables *and rows*
 * (msgstore-schema.md §1 "Detection rule").
 *
 * - `message` has rows with `_id > 1`                        → current
 * - else `messages` (the legacy shape) exists, with `jid`+`chat` → transitional, without → legacy
 * - else a current-shape `message` table that is empty          → current (a valid, empty backup)
 * - iOS ChatStorage (`ZWAMESSAGE`)                              → unsupported-version
 * - anything else (wa.db, a foreign `messages` table, …)       → not-a-chat-backup
 */
import { UnsealError } from '../errors';
import type { SchemaEra } from './model';
import { Schema } from './schema';
import type { SqlDb } from './sql';

export function detectEra(db: SqlDb): SchemaEra {
  return detectEraIn(new Schema(db));
}

export function detectEraIn(schema: Schema): SchemaEra {
  if (schema.hasTable('ZWAMESSAGE')) {
    throw new UnsealError('unsupported-version', 'This is an iPhone WhatsApp database; only Android backups are supported.', {
      platform: 'ios',
    });
  }
  const currentShape = schema.has('message', '_id', 'chat_row_id', 'from_me', 'key_id');
  const legacyShape = schema.has('messages', '_id', 'key_remote_jid', 'key_from_me', 'key_id');
  if (currentShape && hasRealRows(schema, 'message')) return 'current';
  if (legacyShape) return schema.hasTable('jid') && schema.hasTable('chat') ? 'transitional' : 'legacy';
  if (currentShape && schema.hasTable('chat') && schema.hasTable('jid')) return 'current';
  throw new UnsealError('not-a-chat-backup', 'This database holds no WhatsApp chats.', {
    tables: schema.hasTable('wa_contacts') ? 'contacts' : 'unknown',
  });
}

function hasRealRows(schema: Schema, table: string): boolean {
  try {
    return schema.db.all(`SELECT 1 AS x FROM ${table} WHERE _id > 1 LIMIT 1`).length > 0;
  } catch {
    return false;
  }
}
