// The one place that writes files. Renderers return strings; this module puts them on disk, atomically
// where a half-written file would mislead (run.json, reports).

import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';

/** Writes through a temporary file and a rename, so a reader sees the old file or the new one, never half. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
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

/**
 * Creates a folder and its parents. A folder that cannot be made — a file where a folder must go (a
 * `--output` or `reportsDir` naming a file), no permission, a read-only disk — is the user's to fix: a
 * UserError naming the folder, never a stack trace.
 */
export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why: Record<string, string> = {
      ENOTDIR: 'a file stands where a folder must be',
      EEXIST: 'a file stands where a folder must be',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      EROFS: 'the file system is read-only',
      ENOSPC: 'no space left on the device',
    };
    if (e.code && why[e.code]) throw new UserError(`cannot create the folder ${dir}: ${why[e.code]}`);
    throw error;
  }
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

/** Copies a file another program wrote (a Playwright trace or screenshot) into a run's folder. */
export function copyInto(source: string, destination: string): void {
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(source, destination);
}

/** A private working folder under the system's temporary folder (mode 0700), for files a run must not keep. */
export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
