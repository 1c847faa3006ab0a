// Bodies that are not text, compared as what they are: bytes. Decoding with U+FFFD made `caf\xe9` on
// the baseline and `caf\xe8` on the target the same text, and parity 1.0. When either body of a pair is
// not UTF-8, the pair is compared byte for byte, and a difference names where the body stops being
// UTF-8 and shows both bodies around the first byte that differs. Pure.

import { describeInvalidUtf8, invalidUtf8At } from '../utf8.js';
import type { RawDifference } from './diff.js';
import type { PathToken } from './path.js';

/** One side of the pair: its bytes when they are not UTF-8, else its (normalised) body. */
export interface BodySide {
  bytes?: Uint8Array;
  body: unknown;
}

/** The offset of the first byte where a and b differ (the shorter one's length if one is a prefix), or -1. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const describe = (bytes: Uint8Array, around?: number) =>
  describeInvalidUtf8(bytes, Math.max(0, invalidUtf8At(bytes)), around);

/**
 * The difference between two bodies of which at least one is not UTF-8: none when their bytes are equal,
 * a `value` difference when both are bytes that differ, a `type` difference when one is text.
 */
export function diffBodyBytes(path: PathToken[], a: BodySide, b: BodySide): RawDifference[] {
  if (a.bytes && b.bytes) {
    const at = firstDifference(a.bytes, b.bytes);
    if (at < 0) return [];
    return [{ path, kind: 'value', baseline: describe(a.bytes, at), target: describe(b.bytes, at) }];
  }
  return [
    {
      path,
      kind: 'type',
      baseline: a.bytes ? describe(a.bytes) : a.body,
      target: b.bytes ? describe(b.bytes) : b.body,
    },
  ];
}
