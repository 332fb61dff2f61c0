import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: tests run with paths relative to it, as a user in a checkout would. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
