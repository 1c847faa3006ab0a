// A docker-compose.yml read from disk: the file itself, and the files it names (env files, extended
// files, `.env`) relative to its folder, as `docker compose` resolves them. Failures come back as
// one message naming the file, for the CLI (exit 2) and the suite (could-not-check) alike.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ComposeError, type ComposeModel, readCompose } from '../../core/inventory/compose.js';

export type ComposeRead = { ok: true; model: ComposeModel } | { ok: false; reason: string };

export function readComposeFile(
  file: string,
  options: {
    display: string;
    profiles: readonly string[];
    env?: Readonly<Record<string, string | undefined>>;
  },
): ComposeRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return {
      ok: false,
      reason: `${options.display}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`,
    };
  }
  try {
    const model = readCompose(text, {
      file: options.display,
      read: (p) => {
        try {
          return readFileSync(resolve(dirname(file), p), 'utf8');
        } catch {
          return undefined;
        }
      },
      profiles: options.profiles,
      ...(options.env ? { env: options.env } : {}),
    });
    return { ok: true, model };
  } catch (error) {
    if (error instanceof ComposeError) return { ok: false, reason: error.message };
    throw error;
  }
}
