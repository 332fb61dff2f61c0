// Loaded with `node --import` into a CLI under test: writes "MODULE <url>" on stderr for every
// module the process imports (ES modules, and the CommonJS packages they import), and at exit
// "BUILTIN <name>" for every module of Node's own it loaded, so a test can tell what a command
// loads.
import { register } from 'node:module';

const hooks = `export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  process.stderr.write('MODULE ' + resolved.url + '\\n');
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
process.on('exit', () => {
  for (const entry of process.moduleLoadList)
    if (entry.startsWith('NativeModule ')) process.stderr.write(`BUILTIN ${entry.slice(13)}\n`);
});
