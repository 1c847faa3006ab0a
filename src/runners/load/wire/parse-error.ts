// What a response that breaks HTTP/1.1's rules ends in: the request is counted as a protocol error.
export class ResponseParseError extends Error {
  override readonly name = 'ResponseParseError';
  readonly kind = 'protocol' as const;
}
