import { useCallback, useEffect, useState } from 'preact/hooks';
import { WorkerClient, WorkerError } from '../worker/client';
import type { LibrarySummary, WireError } from '../worker/protocol';
import { OpenScreen } from './OpenScreen';
import { LibraryView } from './LibraryView';
import { PersistSuggestion, PrivacyPage } from './PrivacyPage';
import { UpdateBanner } from './UpdateBanner';

/** One client for the whole page. */
export const worker = new WorkerClient();

export function asWire(e: unknown): WireError {
  if (e instanceof WorkerError) return e.wire;
  return { code: 'internal', message: e instanceof Error ? e.message : String(e), detail: {} };
}

type Screen = { name: 'home' } | { name: 'library'; library: LibrarySummary; justOpened: boolean } | { name: 'privacy' };

export function App() {
  const [screen, setScreen] = useState<Screen>({ name: 'home' });
  const [libraries, setLibraries] = useState<LibrarySummary[] | undefined>(undefined);

  const refresh = useCallback(async () => {
    setLibraries(await worker.call('listLibraries', {}));
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const home = () => {
    setScreen({ name: 'home' });
    void refresh();
  };
  const privacy = () => setScreen({ name: 'privacy' });

  return (
    <>
      {screen.name === 'privacy' ? (
        <PrivacyPage onBack={home} />
      ) : screen.name === 'library' ? (
        <LibraryView library={screen.library} justOpened={screen.justOpened} onBack={home} onLocked={home} onPrivacy={privacy} />
      ) : (
        <OpenScreen
          libraries={libraries}
          onOpened={(library) => setScreen({ name: 'library', library, justOpened: true })}
          onShow={(library) => setScreen({ name: 'library', library, justOpened: false })}
          onDeleted={refresh}
          onPrivacy={privacy}
        />
      )}
      {screen.name === 'library' && screen.justOpened && <PersistSuggestion onPrivacy={privacy} />}
      <UpdateBanner />
    </>
  );
}
