import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const OUT = resolve(ROOT, 'bench-out');
export const PAGES_OUT = resolve(OUT, 'pages');
export const APP_OUT = resolve(OUT, 'app');
