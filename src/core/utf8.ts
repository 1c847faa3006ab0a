// Whether bytes are UTF-8 text, and where they stop being it. Decoding with replacement (what
// Buffer#toString does) turns every invalid sequence into U+FFFD, so two different bodies — `caf\xe9`
// and `caf\xe8` — read as the same text: whoever compares or judges a body as text must first know that
// it decodes, and otherwise work on its bytes. Pure.

export type Utf8Result = { ok: true; text: string } | { ok: false; invalidAt: number };

// Fatal: an invalid sequence throws instead of becoming U+FFFD. ignoreBOM keeps a byte order mark in the
// text, as Buffer#toString does (it is part of what the server sent, and JSON.parse refuses it).
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as text, or the offset of the first byte where they stop being UTF-8 (RFC 3629). */
export function decodeUtf8(bytes: Uint8Array): Utf8Result {
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    // The native decoder says only that it failed; the offset is found once, in the rare failing case.
    return { ok: false, invalidAt: Math.max(0, invalidUtf8At(bytes)) };
  }
}

/**
 * The offset of the first byte that does not start a complete, well-formed UTF-8 sequence, or -1 when
 * every byte does. Well-formed as RFC 3629 §4 has it: no overlong forms, no surrogates, nothing above
 * U+10FFFF — the same sequences the WHATWG decoder (TextDecoder) refuses.
 */
export function invalidUtf8At(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      i++;
      continue;
    }
    // The length of the sequence the lead byte starts, and the range its second byte must lie in.
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) length = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      length = 3;
      if (b0 === 0xe0) low = 0xa0;
      else if (b0 === 0xed) high = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      length = 4;
      if (b0 === 0xf0) low = 0x90;
      else if (b0 === 0xf4) high = 0x8f;
    } else return i;
    if (i + length > n) return i;
    const b1 = bytes[i + 1]!;
    if (b1 < low || b1 > high) return i;
    for (let k = 2; k < length; k++) {
      const b = bytes[i + k]!;
      if (b < 0x80 || b > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/**
 * The bytes [from, to) for a person to read, losslessly: text where it decodes, each byte that does not
 * as `\xE9`, a backslash as `\\`, and control characters as `\x0A`. Two different byte strings never
 * read the same.
 */
export function showBytes(bytes: Uint8Array, from = 0, to = bytes.length): string {
  let out = '';
  let i = Math.max(0, from);
  const end = Math.min(bytes.length, to);
  const hex = (b: number) => `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += b === 0x5c ? '\\\\' : b < 0x20 || b === 0x7f ? hex(b) : String.fromCharCode(b);
      i++;
      continue;
    }
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    const sequence = bytes.subarray(i, Math.min(i + length, end));
    const valid = sequence.length === length && invalidUtf8At(sequence) === -1;
    if (valid) {
      out += new TextDecoder().decode(sequence);
      i += length;
    } else {
      out += hex(b);
      i++;
    }
  }
  return out;
}

const BEFORE = 40;
const AFTER = 80;

/** The bytes around `around`, shown losslessly (showBytes), with `…` where more lies outside. */
export function bytesExcerpt(bytes: Uint8Array, around: number): string {
  const from = Math.max(0, around - BEFORE);
  const to = Math.min(bytes.length, around + AFTER);
  const place = from > 0 ? `bytes ${from}–${to}: ` : '';
  return `${place}${from > 0 ? '…' : ''}${showBytes(bytes, from, to)}${to < bytes.length ? '…' : ''}`;
}

/**
 * A body that is not UTF-8, as parity shows it: where it stops decoding, and its bytes around `around`
 * (by default that offset) — `invalid UTF-8 at byte offset 3 of 4: caf\xE9`.
 */
export function describeInvalidUtf8(bytes: Uint8Array, invalidAt: number, around = invalidAt): string {
  return `invalid UTF-8 at byte offset ${invalidAt} of ${bytes.length}: ${bytesExcerpt(bytes, around)}`;
}
