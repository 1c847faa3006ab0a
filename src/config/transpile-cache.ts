// Where jiti may keep the transpiled config between commands. Transpiling cutover.config.ts costs about
// 0.25 s of CPU on every command; a cache makes that once per change of the file. jiti's own default
// folder is not used: without a node_modules next to the config it is the shared `$TMPDIR/jiti`, where
// any local user could plant a "transpiled config" for the next run to execute (jiti checks a cached
// file only against a hash of the source, which anyone who can read the config can compute). So the
// cache lives under the user's home, in folders that must belong to the user and be writable by no one
// else; anything else means no cache, never an error — the config is then transpiled as before.
import { lstatSync, mkdirSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The folder jiti may cache in, or false when no folder can be trusted (caching is then off). */
export function transpileCacheDir(home = safeHomedir()): string | false {
  if (!home) return false;
  let uid: number;
  try {
    uid = userInfo().uid;
  } catch {
    return false;
  }
  if (uid < 0) return false; // Windows has no owners to check.
  const chain = [
    join(home, '.cache'),
    join(home, '.cache', 'cutover'),
    join(home, '.cache', 'cutover', 'jiti'),
  ];
  try {
    mkdirSync(chain[2]!, { recursive: true, mode: 0o700 });
    // Each folder from ~/.cache down must be a real folder (not a link), ours, and closed to others'
    // writes: whoever can write to any of them can replace what lies below.
    for (const dir of chain) {
      const s = lstatSync(dir);
      if (!s.isDirectory() || s.uid !== uid || (s.mode & 0o022) !== 0) return false;
    }
  } catch {
    return false;
  }
  return chain[2]!;
}

function safeHomedir(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}
