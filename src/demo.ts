/// <reference types="vite/client" />
/**
 * The bundled demo backup: an invented WhatsApp history (no real people or numbers), encrypted as
 * a real `msgstore.db.crypt15` with a key that is published on purpose. Built deterministically by
 * `scripts/make-demo.ts`; the same key is in `public/demo/demo-key.txt`.
 */

/** The demo's 64-digit key, grouped in 16 blocks of 4 the way WhatsApp shows it. */
export const DEMO_KEY = 'de5a 0c0f fee0 d15e a5e5 eed0 ca11 ab1e c0de ba5e 5a1a d0b0 e5f0 0dfa cade 2026';

/** The demo backup, relative to the app's base (`public/demo/…` in the repository). */
export const DEMO_BACKUP_PATH = 'demo/msgstore.db.crypt15';

/**
 * The demo backup's URL: the relative path resolved against Vite's `BASE_URL` (`./` in this
 * app's build, so it stays relative to the page and works under any sub-path).
 */
export const DEMO_BACKUP_URL = `${import.meta.env.BASE_URL}${DEMO_BACKUP_PATH}`;

/** The file name to show for the demo backup. */
export const DEMO_FILE_NAME = 'msgstore.db.crypt15';
