// Secrets are taken out where they are known, before anything is recorded: every value the run learns
// to be secret (client secrets, passwords, API keys from the environment, every token it obtains) is
// registered here, and every text and value that leaves a suite for the record passes through `value`
// or `text`. Two nets: known secret values are replaced wherever they appear, and fields or headers
// whose names say "secret" are masked whatever their value.

export const REDACTED = '[redacted]';
export const MIN_SECRET_LENGTH = 8;

/** Field and header names whose values are secret by their nature. */
const SECRET_NAMES =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|access_token|refresh_token|id_token|token|client_secret|password|passwd|secret|assertion|code_verifier)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAMES.test(name);
}

export class Redactor {
  readonly #secrets = new Set<string>();

  /**
   * Registers a secret value. Values shorter than MIN_SECRET_LENGTH are not masked by value (masking a
   * short word everywhere garbles every report); they are still masked wherever a field or header name
   * says secret, and are never written by Cutover itself.
   */
  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) return;
    this.#secrets.add(secret);
    // A token may also appear URL-encoded or in a Basic header's base64.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) this.#secrets.add(encoded);
  }

  text(input: string): string {
    let out = input;
    // Longest first, so a secret containing another is replaced whole.
    for (const s of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join(REDACTED);
    }
    return out;
  }

  /** A deep copy with secret-named fields masked and known secrets replaced in every string. */
  value<T>(input: T): T {
    const go = (v: unknown): unknown => {
      if (typeof v === 'string') return this.text(v);
      if (Array.isArray(v)) return v.map(go);
      if (v !== null && typeof v === 'object') {
        return Object.fromEntries(
          Object.entries(v).map(([k, item]) => [
            k,
            isSecretName(k) && item !== undefined && item !== null ? REDACTED : go(item),
          ]),
        );
      }
      return v;
    };
    return go(input) as T;
  }
}
