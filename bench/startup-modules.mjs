// Preloaded by `bench/startup.mjs --modules`: lists every module file the CLI process loads into the
// file named by CUTOVER_MODULE_LIST — ES modules through a loader hook (it runs on the hooks thread, so
// it appends as it goes), CommonJS ones from require.cache at exit (require() inside a CommonJS
// package does not pass through the ESM hooks on Node 20).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const list = process.env.CUTOVER_MODULE_LIST;
if (list) {
  register(
    `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(list)}, url + '\\n');
  return next(url, context);
}`)}`,
  );
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    appendFileSync(list, `${Object.keys(require.cache).join('\n')}\n`);
  });
}
