// A config written as data — cutover.config.json, .yaml or .yml — for a project that keeps no
// TypeScript: parsed here, then validated by the same zod schema as a TypeScript config (load.ts), so
// its problems are reported with the same paths. Editors check and complete it with the published
// JSON Schema (json-schema.ts), which the file may name in a `$schema` key; the CLI ignores that key.
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';

export const DATA_CONFIG_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

export function isDataConfig(file: string): boolean {
  return DATA_CONFIG_EXTENSIONS.some((ext) => file.endsWith(ext));
}

/** Where a JSON syntax error is, as line and column: Node 22 says so itself, Node 20 gives a position. */
export function jsonProblem(text: string, error: Error): string {
  const position = /at position (\d+)\b(?! \(line)/.exec(error.message);
  if (!position) return error.message;
  const before = text.slice(0, Number(position[1])).split('\n');
  return `${error.message} (line ${before.length} column ${before.at(-1)!.length + 1})`;
}

/** The config object a JSON or YAML file holds, without its `$schema` key; a syntax error is a UserError. */
export async function readDataConfig(file: string, display: string): Promise<unknown> {
  let data: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.json')) {
      try {
        data = JSON.parse(text);
      } catch (error) {
        throw new Error(jsonProblem(text, error as Error));
      }
    } else {
      // Loaded only for a YAML config: a TypeScript one never pays for the parser.
      const { parseDocument } = await import('yaml');
      const document = parseDocument(text);
      // yaml's message says where: "… at line 3, column 1:" and then the lines around it.
      if (document.errors[0]) throw new Error(document.errors[0].message.split('\n')[0]!.replace(/:$/, ''));
      data = document.toJS();
    }
  } catch (error) {
    throw new UserError(`could not read config ${display}: ${(error as Error).message}`);
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && '$schema' in data) {
    const { $schema: _schema, ...config } = data as Record<string, unknown>;
    return config;
  }
  return data;
}
