import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Where the package is, as seen from this module: one level above src/ and dist/. The CLI's
// bundle (scripts/bundle-cli.mjs) replaces this module with one that answers the same from the
// bundle's own place, so these two facts are the only ones any module derives from its location.

/** The package's own directory, where package.json and schemas/ are. */
export const PACKAGE_ROOT: string = fileURLToPath(new URL('..', import.meta.url));

const require = createRequire(import.meta.url);
/** The package version, read once from package.json. */
export const VERSION: string = (require('../package.json') as { version: string }).version;
