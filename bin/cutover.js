#!/usr/bin/env node
// The `cutover` command. The TypeScript sources are compiled to dist/ by `npm run build` (scripts/setup.sh
// does it); say so plainly instead of failing with a module-not-found trace.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'cutover: not built yet; run `npm run build` (or scripts/setup.sh) in the project folder\n',
  );
  process.exit(2);
}
await import(entry.href);
