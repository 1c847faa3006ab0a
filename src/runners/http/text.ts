// A response body read as text, for every place that judges one (the smoke health check, an integration
// step, the load engine's checks): decoded only when it is UTF-8, never with U+FFFD standing in for bytes
// that are not, and judged against what its Content-Type declares.
import { bytesExcerpt, decodeUtf8 } from '../../core/utf8.js';

export type BodyText =
  | { ok: true; text: string }
  | {
      ok: false;
      /** Offset of the first byte that is not UTF-8. */
      invalidAt: number;
      /** Decoded with U+FFFD for what does not decode: only for rules that read text anyway (`contains`). */
      lossy: string;
    };

export function bodyText(body: Buffer): BodyText {
  const decoded = decodeUtf8(body);
  return decoded.ok
    ? { ok: true, text: decoded.text }
    : { ok: false, invalidAt: decoded.invalidAt, lossy: body.toString('utf8') };
}

/**
 * Whether a Content-Type says the body is UTF-8: a `charset=utf-8` parameter, or a JSON media type
 * (`application/json`, `application/problem+json`, …), which RFC 8259 §8.1 defines as UTF-8 and which
 * therefore has no charset parameter of its own.
 */
export function declaresUtf8(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type = '', ...params] = contentType.split(';');
  const charset = params
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"(.*)"$/, '$1');
  if (charset !== undefined) return charset === 'utf-8' || charset === 'utf8';
  return isJsonType(type);
}

/** `application/json` and the structured `+json` types (RFC 6839). */
export function isJsonType(mediaType: string): boolean {
  const t = mediaType.trim().toLowerCase();
  return t === 'application/json' || /^[a-z0-9.+-]+\/[a-z0-9.+-]*\+json$/.test(t);
}

/**
 * Why a body is not text: the byte offset where it stops being UTF-8, the bytes there, and — when its
 * Content-Type declares UTF-8 — that it breaks its own declaration. `what` names the body:
 * `the body is not valid UTF-8 at byte offset 3 (caf\xE9), though its content type "application/json" says UTF-8`
 */
export function notUtf8Reason(
  what: string,
  body: Buffer,
  invalidAt: number,
  contentType: string | undefined,
): string {
  const declared = declaresUtf8(contentType)
    ? `, though its content type ${JSON.stringify(contentType)} says UTF-8`
    : '';
  return `${what} is not valid UTF-8 at byte offset ${invalidAt} (${bytesExcerpt(body, invalidAt)})${declared}`;
}
