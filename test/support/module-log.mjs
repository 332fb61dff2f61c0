// Loaded with `node --import` into a CLI under test: writes "MODULE <url>" on stderr for every
// module the process imports (ES modules, and the CommonJS packages they import), so a test can
// tell what a command loads.
import { register } from 'node:module';

const hooks = `export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  process.stderr.write('MODULE ' + resolved.url + '\\n');
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
