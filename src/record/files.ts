// The one place that writes files. Renderers return strings; this module puts them on disk, atomically
// where a half-written file would mislead (run.json, reports).

import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes through a temporary file and a rename, so a reader sees the old file or the new one, never half. */
export function writeFileAtomic(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/**
 * Appends one line with a synchronous write: once this returns the line is in the kernel, so it
 * survives SIGKILL of this process. That durability is what makes a killed run readable.
 */
export function appendLine(file: string, line: string): void {
  appendFileSync(file, `${line}\n`);
}

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/** Writes several rendered files into a folder; returns the paths written. */
export function writeAll(dir: string, files: Record<string, string>): string[] {
  ensureDir(dir);
  return Object.entries(files).map(([name, content]) => {
    const file = join(dir, name);
    writeFileAtomic(file, content);
    return file;
  });
}
