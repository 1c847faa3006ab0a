// Reads a file named on the command line (or `-`, stdin) into memory, but never more than a cap: a
// wrong file — a 200 MB log, a disk image — is refused with its size (exit 2) instead of being read
// whole, decoded and searched, which took hundreds of MB for nothing.
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Io } from './io.js';

const MiB = 1024 * 1024;
const size = (bytes: number) =>
  bytes >= MiB ? `${(bytes / MiB).toFixed(bytes >= 10 * MiB ? 0 : 1)} MiB` : `${bytes} bytes`;

export interface Cap {
  maxBytes: number;
  /** Why the cap is where it is, for the message: what a real input of this kind weighs. */
  why: string;
}

// Git's test for a binary file: a NUL byte near the start. No text format read here contains one.
const SNIFF_BYTES = 8000;

export async function readCappedText(io: Io, flag: string, file: string, cap: Cap): Promise<string> {
  const shown = `${flag} ${file}`;
  const over = (what: string) => new UserError(`${shown}: ${what}`, { hint: cap.why });
  const path = file === '-' ? undefined : resolve(io.cwd, file);
  if (path) {
    let bytes: number;
    try {
      const stat = statSync(path);
      if (stat.isDirectory()) throw new UserError(`${shown}: is a folder, not a file`);
      bytes = stat.size;
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`${shown}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
    // A regular file says its size up front: refuse it without reading a byte.
    if (bytes > cap.maxBytes)
      throw over(`${size(bytes)} (${bytes} bytes), over the ${size(cap.maxBytes)} limit`);
  }
  const stream = path ? createReadStream(path) : process.stdin;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      total += b.length;
      // A pipe, or a file that grew since it was measured: stop at the cap.
      if (total > cap.maxBytes) {
        stream.destroy();
        throw over(`more than the ${size(cap.maxBytes)} limit (reading stopped there)`);
      }
      chunks.push(b);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${shown}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  const bytes = Buffer.concat(chunks, total);
  if (bytes.subarray(0, SNIFF_BYTES).includes(0))
    throw new UserError(`${shown}: a binary file (a NUL byte in its first ${SNIFF_BYTES} bytes), not text`, {
      hint: cap.why,
    });
  return bytes.toString('utf8');
}
