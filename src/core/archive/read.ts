/**
 * Reading a `.unseal` file: its records, each checked by a RecordChecker for the header's format
 * version before it is handed out. The generator returns only after the end record and the
 * checker's final counts; a record out of order, a missing one or a cut file throws instead.
 */
import { decodeRecords, RecordChecker, type ArchiveRecord } from './records';
import { openArchive, type ArchiveSource, type OpenOptions } from './stream';

export async function* readArchive(source: ArchiveSource, passphrase: string, opts: OpenOptions = {}): AsyncGenerator<ArchiveRecord, void, undefined> {
  let checker: RecordChecker | undefined;
  const payload = openArchive(source, passphrase, {
    ...opts,
    onHeader: (header) => {
      checker = new RecordChecker(header.version);
      opts.onHeader?.(header);
    },
  });
  for await (const record of decodeRecords(payload)) {
    checker!.accept(record);
    yield record;
  }
  // openArchive authenticates the header before its first chunk, so a checker exists here.
  checker!.finish();
}
