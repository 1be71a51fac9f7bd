/**
 * Linked media files in the conversation. The library view provides a {@link MediaSource} for
 * the open chat (a context, so the virtualized rows need no new props); a bubble asks for its
 * message's file when it renders, gets the OPFS copy from the worker (`mediaFile`), and shows it
 * through an object URL that is revoked when the bubble goes away. The CSP allows `blob:` for
 * images and media.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Message } from '../../core/msgstore/model';

export interface MediaSource {
  /** The linked file of the message at `pos` in the open chat, if any. */
  load(pos: number): Promise<File | undefined>;
  /** Whether a WhatsApp folder was linked to this library (a missing file is then "not in the folder"). */
  linked: boolean;
}

export const MediaContext = createContext<MediaSource | undefined>(undefined);

export function MediaProvider({ value, children }: { value: MediaSource | undefined; children: ComponentChildren }) {
  return <MediaContext.Provider value={value}>{children}</MediaContext.Provider>;
}

export type LinkedMedia =
  | { status: 'none' }
  | { status: 'loading' }
  | { status: 'missing' }
  | { status: 'found'; url: string; name: string; type: string };

/** The message's linked file as an object URL (revoked on unmount), or why there is none. */
export function useLinkedMedia(m: Message): LinkedMedia {
  const source = useContext(MediaContext);
  const wanted = !!source && !!m.media && !m.deleted;
  const [state, setState] = useState<LinkedMedia>(wanted ? { status: 'loading' } : { status: 'none' });
  useEffect(() => {
    if (!source || !m.media || m.deleted) {
      setState({ status: 'none' });
      return;
    }
    let live = true;
    let url: string | undefined;
    setState({ status: 'loading' });
    source.load(m.pos).then(
      (file) => {
        if (!live) return;
        if (!file) return setState({ status: source.linked ? 'missing' : 'none' });
        url = URL.createObjectURL(file);
        setState({ status: 'found', url, name: file.name, type: file.type });
      },
      () => live && setState({ status: source.linked ? 'missing' : 'none' }),
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [source, m.pos, m.media, m.deleted]);
  return state;
}

/** "not in the folder", for a missing file of a library with a linked folder. */
export function NotInFolder() {
  return <span class="msg-media-note">not in the folder</span>;
}
