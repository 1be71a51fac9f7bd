/**
 * `openMsgstore(db)`: detect the schema era and return the matching reader. Everything it returns
 * is the normalized model (model.ts); no WhatsApp table name leaks out.
 */
import { detectEraIn } from './era';
import { currentReader } from './read-current';
import { legacyReader } from './read-legacy';
import type { MsgstoreReader } from './reader-types';
import { Schema } from './schema';
import type { SqlDb } from './sql';

export type { MsgstoreReader } from './reader-types';
export { DEFAULT_PAGE_SIZE } from './reader-types';

export function openMsgstore(db: SqlDb): MsgstoreReader {
  const schema = new Schema(db);
  const era = detectEraIn(schema);
  return era === 'current' ? currentReader(schema) : legacyReader(schema, era);
}
