// The load engine's hand-written HTTP/1.1 wire format (src/runners/load/wire): the incremental response
// parser (every framing, every way a response can be cut into reads, everything a broken or hostile
// server can send) and the request serialiser (framing it owns, header injection it refuses).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serialiseRequest, type WireRequest } from '../../src/runners/load/wire/request-bytes.js';
import {
  DEFAULT_LIMITS,
  type ParsedResponse,
  type ParserLimits,
  ResponseParseError,
  ResponseParser,
} from '../../src/runners/load/wire/response-parser.js';

interface Options {
  method?: string;
  /** Collect headers and body (a request with checks). Default true, so tests can see them. */
  collect?: boolean;
  limits?: ParserLimits;
  /** Call end() after the last piece, as a socket's end of stream does. */
  end?: boolean;
}

interface Seen {
  status: number;
  keepAlive: boolean;
  headers?: Record<string, string>;
  body?: string;
}

interface Result {
  responses: Seen[];
  /** The ResponseParseError's message, if the parser threw one. */
  error?: string;
}

// Bytes past a read's end in the connection's shared read buffer are stale: left from earlier reads.
// Filling them with a complete head makes a parser that looks past `end` visibly wrong.
const STALE = Buffer.from('\r\n\r\nHTTP/1.1 500 Stale\r\nContent-Length: 0\r\n\r\n');

function seen(r: ParsedResponse): Seen {
  return {
    status: r.status,
    keepAlive: r.keepAlive,
    ...(r.headers ? { headers: r.headers } : {}),
    ...(r.body ? { body: r.body.toString('latin1') } : {}),
  };
}

/**
 * Feeds `pieces` to one parser expecting the answer to one request, the way the connection does: each
 * piece at an offset inside a reused buffer with stale bytes after it, overwritten after every feed (so
 * anything the parser keeps without copying shows up as garbage).
 */
function run(pieces: readonly Buffer[], o: Options = {}): Result {
  const responses: Seen[] = [];
  const parser = new ResponseParser((r) => responses.push(seen(r)), o.limits ?? DEFAULT_LIMITS);
  const collect = o.collect ?? true;
  parser.begin(o.method ?? 'GET', collect, collect);
  try {
    pieces.forEach((piece, n) => {
      const offset = n % 5;
      const buffer = Buffer.alloc(offset + piece.length + STALE.length);
      STALE.copy(buffer, 0);
      piece.copy(buffer, offset);
      STALE.copy(buffer, offset + piece.length);
      parser.feed(buffer, offset, offset + piece.length);
      buffer.fill('Z');
    });
    if (o.end) parser.end();
  } catch (error) {
    if (!(error instanceof ResponseParseError)) throw error;
    return { responses, error: error.message };
  }
  return { responses, ...(parser.busy ? { error: 'incomplete (parser still busy)' } : {}) };
}

const b = (s: string) => Buffer.from(s, 'latin1');
const one = (s: string, o?: Options) => run([b(s)], o);

function cutAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((x, y) => x - y);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    pieces.push(bytes.subarray(from, p));
    from = p;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}

const CL = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nX-Req: 7\r\n\r\nhello world';
const CHUNKED =
  'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n' +
  '5;name=value\r\nhello\r\n' +
  '1 ; spaced=ext\r\n \r\n' +
  'A;quoted="a;b"\r\n0123456789\r\n' +
  '0\r\nX-Checksum: abc\r\nX-More: d\r\n\r\n';
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n' + CL;
const UNTIL_CLOSE = 'HTTP/1.0 200 OK\r\nServer: old\r\n\r\nstreamed until the end';

describe('response framing', () => {
  it('reads a Content-Length body and keeps the connection', () => {
    expect(one(CL)).toEqual({
      responses: [
        {
          status: 200,
          keepAlive: true,
          headers: { 'content-type': 'text/plain', 'content-length': '11', 'x-req': '7' },
          body: 'hello world',
        },
      ],
    });
  });

  it('counts a body it does not collect without keeping it', () => {
    expect(one(CL, { collect: false })).toEqual({ responses: [{ status: 200, keepAlive: true }] });
  });

  it('reads a chunked body with chunk extensions and trailers, and keeps the connection', () => {
    const r = one(CHUNKED);
    expect(r.error).toBeUndefined();
    expect(r.responses).toHaveLength(1);
    expect(r.responses[0]).toMatchObject({ status: 201, keepAlive: true, body: 'hello 0123456789' });
    // Trailers are read past, not merged into the head's fields.
    expect(r.responses[0]!.headers).toEqual({ 'transfer-encoding': 'chunked', 'x-a': '1' });
  });

  it('takes chunked as the last transfer coding; any other last coding is read until close', () => {
    const gz = one('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n');
    expect(gz.responses).toMatchObject([{ status: 200, keepAlive: true, body: 'ab' }]);
    const notLast = one('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n2\r\nab', { end: true });
    expect(notLast.responses).toMatchObject([{ keepAlive: false, body: '2\r\nab' }]);
  });

  it('reads a body without Content-Length or chunking until the connection closes, and then closes', () => {
    expect(one(UNTIL_CLOSE, { end: true }).responses).toMatchObject([
      { status: 200, keepAlive: false, body: 'streamed until the end' },
    ]);
    // HTTP/1.1 without framing is the same.
    expect(one('HTTP/1.1 200 OK\r\n\r\nrest', { end: true }).responses).toMatchObject([
      { status: 200, keepAlive: false, body: 'rest' },
    ]);
    // Before the end, nothing is answered yet.
    expect(one(UNTIL_CLOSE)).toMatchObject({ responses: [], error: 'incomplete (parser still busy)' });
  });

  it('completes an empty until-close body at end of stream', () => {
    expect(one('HTTP/1.0 200 OK\r\n\r\n', { end: true }).responses).toEqual([
      { status: 200, keepAlive: false, headers: {}, body: '' },
    ]);
  });

  it('reads no body after HEAD, 204 and 304 whatever their Content-Length or Transfer-Encoding says', () => {
    const head = one('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n', { method: 'HEAD' });
    expect(head).toEqual({
      responses: [{ status: 200, keepAlive: true, headers: { 'content-length': '1000' }, body: '' }],
    });
    const chunkedHead = one('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', { method: 'HEAD' });
    expect(chunkedHead.responses).toMatchObject([{ status: 200, keepAlive: true }]);
    const notModified = one('HTTP/1.1 304 X\r\nContent-Length: 5\r\n\r\n');
    expect(notModified).toEqual({
      responses: [{ status: 304, keepAlive: true, headers: { 'content-length': '5' }, body: '' }],
    });
    // A 204 may not announce a body (RFC 9110 §8.6): the bytes it announces belong to no message, so the
    // connection is not reused, whenever they arrive (test/integration/http-framing.test.ts).
    const noContent = one('HTTP/1.1 204 X\r\nContent-Length: 5\r\n\r\n');
    expect(noContent).toEqual({
      responses: [{ status: 204, keepAlive: false, headers: { 'content-length': '5' }, body: '' }],
    });
  });

  it('completes a Content-Length: 0 response at its head', () => {
    expect(one('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n').responses).toEqual([
      { status: 404, keepAlive: true, headers: { 'content-length': '0' }, body: '' },
    ]);
  });

  it('answers a second request on the same parser with nothing of the first', () => {
    const responses: Seen[] = [];
    const parser = new ResponseParser((r) => responses.push(seen(r)));
    parser.begin('GET', true, true);
    parser.feed(b(CHUNKED), 0, CHUNKED.length);
    expect(parser.busy).toBe(false);
    parser.begin('GET', true, true);
    const second = 'HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok';
    parser.feed(b(second), 0, second.length);
    expect(responses[1]).toEqual({
      status: 202,
      keepAlive: true,
      headers: { 'content-length': '2' },
      body: 'ok',
    });
  });
});

describe('response cut into reads', () => {
  const samples: { name: string; text: string; options?: Options }[] = [
    { name: 'Content-Length', text: CL },
    { name: 'chunked with extensions and trailers', text: CHUNKED },
    { name: '100 and 103 before the final response', text: CONTINUE },
    { name: 'until close', text: UNTIL_CLOSE, options: { end: true } },
    { name: 'HEAD', text: 'HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n', options: { method: 'HEAD' } },
    {
      name: 'conflicting Content-Length',
      text: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab',
    },
    {
      name: 'chunk longer than its size',
      text: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n',
    },
    {
      name: 'malformed chunk size',
      text: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2x\r\nab\r\n0\r\n\r\n',
    },
    {
      name: 'head over the cap',
      text: `HTTP/1.1 200 OK\r\nX-Big: ${'b'.repeat(100)}\r\nContent-Length: 0\r\n\r\n`,
      options: { limits: { maxHeadBytes: 64, maxBodyBytes: 1024 } },
    },
    {
      name: 'collected body over the cap',
      text: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n',
      options: { limits: { maxHeadBytes: 1024, maxBodyBytes: 6 } },
    },
  ];

  for (const { name, text, options } of samples) {
    const bytes = b(text);
    const whole = run([bytes], options);

    it(`${name}: every single cut gives the result of one piece`, () => {
      for (let at = 1; at < bytes.length; at++) {
        expect(run(cutAt(bytes, [at]), options), `cut at byte ${at}`).toEqual(whole);
      }
    });

    it(`${name}: byte by byte gives the result of one piece`, () => {
      expect(run(cutAt(bytes, [...bytes.keys()]), options)).toEqual(whole);
    });

    it(`${name}: random cuts give the result of one piece`, () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }),
          (cuts) => {
            expect(run(cutAt(bytes, cuts), options)).toEqual(whole);
          },
        ),
        { numRuns: 300 },
      );
    });
  }

  it('the samples themselves parse as intended (so the cut tests compare against a right answer)', () => {
    expect(run([b(CONTINUE)]).responses).toMatchObject([{ status: 200, body: 'hello world' }]);
    expect(run([b(samples[5]!.text)]).error).toBe('conflicting Content-Length values');
    expect(run([b(samples[6]!.text)]).error).toBe('chunk data longer than its size');
    expect(run([b(samples[7]!.text)]).error).toBe('malformed chunk-size line (byte 0x78)');
    expect(run([b(samples[8]!.text)], samples[8]!.options).error).toBe('response head larger than 64 bytes');
    expect(run([b(samples[9]!.text)], samples[9]!.options).error).toBe('response body larger than 6 bytes');
  });

  it('every pair of cuts in a chunked response gives the result of one piece', () => {
    const bytes = b(CHUNKED);
    const whole = run([bytes]);
    for (let x = 1; x < bytes.length; x++) {
      for (let y = x + 1; y < bytes.length; y++) expect(run(cutAt(bytes, [x, y]))).toEqual(whole);
    }
  });
});

describe('response head fields', () => {
  it('refuses a bare LF anywhere in the head, as llhttp does', () => {
    for (const head of [
      'HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 O\nK\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 5\r\n\r\nhello',
      'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n',
    ]) {
      expect(one(head), JSON.stringify(head)).toEqual({
        responses: [],
        error: 'a line of the response head has an LF without CR',
      });
    }
  });

  it('matches framing and connection fields in any letter case', () => {
    for (const [cl, conn] of [
      ['content-length', 'connection'],
      ['CONTENT-LENGTH', 'CONNECTION'],
      ['Content-length', 'cOnNeCtIoN'],
    ]) {
      const r = one(`HTTP/1.1 200 OK\r\n${cl}: 3\r\n${conn}: CLOSE\r\n\r\nabc`);
      expect(r.responses).toMatchObject([{ status: 200, keepAlive: false, body: 'abc' }]);
    }
    const te = one('HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: CHUNKED\r\n\r\n1\r\nx\r\n0\r\n\r\n');
    expect(te.responses).toMatchObject([{ keepAlive: true, body: 'x' }]);
  });

  it('gives collected header names in lower case, repeated fields joined, values trimmed', () => {
    const r = one(
      'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Tab:\t v \t\r\nset-cookie: b=2\r\nContent-Length: 0\r\n\r\n',
    );
    expect(r.responses[0]!.headers).toEqual({
      'set-cookie': 'a=1, b=2',
      'x-tab': 'v',
      'content-length': '0',
    });
  });

  it('accepts repeated identical Content-Length values, as fields or as a list', () => {
    for (const fields of [
      'Content-Length: 3\r\nContent-Length: 3',
      'Content-Length: 3, 3',
      'Content-Length: 3,3, 3',
    ]) {
      expect(one(`HTTP/1.1 200 OK\r\n${fields}\r\n\r\nabc`).responses).toMatchObject([
        { status: 200, keepAlive: true, body: 'abc' },
      ]);
    }
  });

  it('rejects conflicting or invalid Content-Length values (response smuggling)', () => {
    for (const fields of ['Content-Length: 3\r\nContent-Length: 4', 'Content-Length: 3, 4']) {
      expect(one(`HTTP/1.1 200 OK\r\n${fields}\r\n\r\nabc`)).toEqual({
        responses: [],
        error: 'conflicting Content-Length values',
      });
    }
    for (const value of ['-1', '3a', '', '0x10', '1 2', '+3', '1234567890123456']) {
      const r = one(`HTTP/1.1 200 OK\r\nContent-Length: ${value}\r\n\r\nabc`);
      expect(r.error, value).toMatch(/^invalid Content-Length/);
      expect(r.responses).toEqual([]);
    }
  });

  it('with Transfer-Encoding and Content-Length, frames by chunked and does not reuse the connection', () => {
    const r = one(
      'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    );
    expect(r).toMatchObject({ responses: [{ status: 200, keepAlive: false, body: 'abc' }] });
    expect(r.error).toBeUndefined();
  });

  it('keeps an HTTP/1.0 connection only when the server says keep-alive', () => {
    expect(one('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok').responses).toMatchObject([
      { status: 200, keepAlive: false, body: 'ok' },
    ]);
    expect(
      one('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok').responses,
    ).toMatchObject([{ status: 200, keepAlive: true, body: 'ok' }]);
  });

  it('closes after Connection: close, also when it is one token of a list', () => {
    for (const value of ['close', 'Close', 'Upgrade, close', 'keep-alive, close', ' close ']) {
      expect(
        one(`HTTP/1.1 200 OK\r\nConnection: ${value}\r\nContent-Length: 0\r\n\r\n`).responses,
        value,
      ).toMatchObject([{ keepAlive: false }]);
    }
    expect(
      one('HTTP/1.1 200 OK\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n').responses,
    ).toMatchObject([{ keepAlive: true }]);
  });

  it('accepts a status line without reason phrase, and with an empty one', () => {
    expect(one('HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n').responses).toMatchObject([
      { status: 200, keepAlive: true },
    ]);
    expect(one('HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n').responses).toMatchObject([{ status: 503 }]);
  });

  it('rejects a status line that is not HTTP/1.x with a three-digit status, quoting it', () => {
    for (const line of [
      'HTTP/2 200 OK',
      'HTTP/1.1 20 OK',
      'HTTP/1.1 2000 OK',
      'HTTP/1.1 099 X',
      'http/1.1 200 OK',
      'HTTP/1.2 200 OK',
    ]) {
      const r = one(`${line}\r\nContent-Length: 0\r\n\r\n`);
      expect(r, line).toEqual({
        responses: [],
        error: `not an HTTP/1.x status line: ${JSON.stringify(line)}`,
      });
    }
  });

  it('rejects a header line folded onto the next one (obs-fold), as undici and node:http do', () => {
    const r = one('HTTP/1.1 200 OK\r\nX-Long: part one\r\n part two\r\nContent-Length: 0\r\n\r\n');
    expect(r).toEqual({ responses: [], error: 'malformed response header line " part two"' });
  });

  it('rejects header lines without a name or colon, with space before the colon, or with a bare CR', () => {
    const bad = ['No colon here', ': no name', 'Content-Length : 0', 'X-A: a\rb'];
    for (const line of bad) {
      const r = one(`HTTP/1.1 200 OK\r\n${line}\r\nContent-Length: 0\r\n\r\n`);
      expect(r.responses, line).toEqual([]);
      expect(r.error, line).toMatch(
        /^(malformed response header line|a line of the response head has a CR without LF)/,
      );
    }
  });

  it('rejects non-HTTP bytes: a banner of another protocol, binary garbage cut off by the close', () => {
    expect(one('SSH-2.0-OpenSSH_9.2\r\n\r\n').error).toBe(
      'not an HTTP/1.x status line: "SSH-2.0-OpenSSH_9.2"',
    );
    // A TLS alert, as a TLS server answers plain text: no head terminator, then end of stream.
    expect(run([Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46])], { end: true }).error).toBe(
      'the connection closed after 7 bytes of an incomplete response',
    );
  });
});

describe('interim responses', () => {
  it('skips 100 Continue and 103 Early Hints and answers with the final response and its headers only', () => {
    expect(one(CONTINUE)).toEqual({
      responses: [
        {
          status: 200,
          keepAlive: true,
          headers: { 'content-type': 'text/plain', 'content-length': '11', 'x-req': '7' },
          body: 'hello world',
        },
      ],
    });
  });

  it('refuses 101 Switching Protocols', () => {
    expect(
      one('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'),
    ).toEqual({
      responses: [],
      error: 'the server switched protocols (101), which a load test does not ask for',
    });
  });
});

describe('chunked framing errors', () => {
  const chunked = (body: string) => `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${body}`;

  it('rejects malformed chunk-size lines', () => {
    const cases: [string, string][] = [
      ['zz\r\n', 'malformed chunk-size line (byte 0x7a)'],
      ['\r\n', 'malformed chunk-size line (no size)'],
      [';ext\r\n', 'malformed chunk-size line (byte 0x3b)'],
      ['-5\r\n', 'malformed chunk-size line (byte 0x2d)'],
      ['0x5\r\n', 'malformed chunk-size line (byte 0x78)'],
      ['5\rX', 'malformed chunk-size line (CR without LF)'],
      ['5\nhello', 'malformed chunk-size line (byte 0xa)'],
      // A bare LF (or any control byte) inside an extension: the chunk-extension smuggling shape.
      ['5;a\nb\r\nhello', 'malformed chunk extension (byte 0xa)'],
      ['5;a=\u0000\r\nhello', 'malformed chunk extension (byte 0x0)'],
      ['1234567890abc\r\n', 'chunk size too large'],
      [`1;${'e'.repeat(5000)}\r\n`, 'chunk-size line longer than 4096 bytes'],
    ];
    for (const [body, error] of cases)
      expect(one(chunked(body)), JSON.stringify(body)).toEqual({ responses: [], error });
  });

  it('rejects chunk data longer than its size, or a chunk not ended by CRLF', () => {
    expect(one(chunked('3\r\nabcd\r\n0\r\n\r\n')).error).toBe('chunk data longer than its size');
    expect(one(chunked('3\r\nabc\rX0\r\n\r\n')).error).toBe('chunk data longer than its size');
  });

  it('reads hex sizes in either case and leading zeros', () => {
    const body = `0000A\r\n${'x'.repeat(10)}\r\nb\r\n${'y'.repeat(11)}\r\n0\r\n\r\n`;
    expect(one(chunked(body)).responses).toMatchObject([{ body: `${'x'.repeat(10)}${'y'.repeat(11)}` }]);
  });

  it('rejects a trailer line with a bare CR, and trailers larger than the head cap', () => {
    expect(one(chunked('0\r\nX-T: a\rb\r\n\r\n')).error).toBe('malformed trailer line (CR without LF)');
    expect(one(chunked('0\r\nX-T: a\nb\r\n\r\n')).error).toBe('malformed trailer line (LF without CR)');
    // Quoted strings and tabs in an extension are fine.
    expect(one(chunked('1;name="a b";x=\ty\r\nz\r\n0\r\n\r\n')).responses).toMatchObject([{ body: 'z' }]);
    const limits = { maxHeadBytes: 64, maxBodyBytes: 1024 };
    expect(one(chunked(`0\r\nX-T: ${'t'.repeat(70)}\r\n\r\n`), { limits }).error).toBe(
      'trailers larger than 64 bytes',
    );
    expect(one(chunked(`0\r\nX-T: ${'t'.repeat(40)}\r\n\r\n`), { limits }).responses).toHaveLength(1);
  });
});

describe('limits', () => {
  const limits = { maxHeadBytes: 128, maxBodyBytes: 16 };
  // A head of exactly `size` bytes, blank line included.
  const headOf = (size: number) => {
    const start = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: ';
    return `${start}${'p'.repeat(size - start.length - 4)}\r\n\r\n`;
  };

  it('accepts a head of exactly the cap and refuses one byte more, whole and byte by byte', () => {
    expect(headOf(128)).toHaveLength(128);
    for (const pieces of [(s: string) => [b(s)], (s: string) => cutAt(b(s), [...b(s).keys()])]) {
      expect(run(pieces(headOf(128)), { limits }).responses).toMatchObject([{ status: 200 }]);
      expect(run(pieces(headOf(129)), { limits })).toEqual({
        responses: [],
        error: 'response head larger than 128 bytes',
      });
    }
  });

  it('refuses a head trickled byte by byte at the first byte over the cap, before any terminator', () => {
    const parser = new ResponseParser(() => expect.unreachable('no response'), limits);
    parser.begin('GET', false, false);
    const endless = b(`HTTP/1.1 200 OK\r\n${'X-Junk: 1\r\n'.repeat(20)}`);
    for (let i = 0; i < 128; i++) parser.feed(endless, i, i + 1);
    expect(() => parser.feed(endless, 128, 129)).toThrow('response head larger than 128 bytes');
  });

  it('refuses a head over the cap arriving in one read, even with no terminator yet', () => {
    expect(one(`HTTP/1.1 200 OK\r\n${'X-Junk: 1\r\n'.repeat(20)}`, { limits })).toEqual({
      responses: [],
      error: 'response head larger than 128 bytes',
    });
  });

  it('caps a collected body in every framing, and not a body that is only counted', () => {
    const over = 'x'.repeat(17);
    const framings = [
      `HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n${over}`,
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11\r\n${over}\r\n0\r\n\r\n`,
      `HTTP/1.1 200 OK\r\n\r\n${over}`,
    ];
    for (const text of framings) {
      expect(one(text, { limits, end: true })).toEqual({
        responses: [],
        error: 'response body larger than 16 bytes',
      });
      expect(one(text, { limits, end: true, collect: false }).responses).toMatchObject([{ status: 200 }]);
    }
    expect(
      one(`HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n${'x'.repeat(16)}`, { limits }).responses,
    ).toMatchObject([{ body: 'x'.repeat(16) }]);
  });

  it('counts a large uncollected body without failing (16 MiB in 64 KiB reads)', () => {
    const size = 16 * 1024 * 1024 + 1;
    const got: ParsedResponse[] = [];
    const parser = new ResponseParser((r) => got.push(r));
    parser.begin('GET', false, false);
    const head = b(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`);
    parser.feed(head, 0, head.length);
    const read = Buffer.alloc(64 * 1024, 'y');
    let left = size;
    while (left > 0) {
      const n = Math.min(left, read.length);
      parser.feed(read, 0, n);
      left -= n;
    }
    expect(got).toEqual([{ status: 200, keepAlive: true }]);
  });
});

describe('the connection around a response', () => {
  it('refuses data while no request is outstanding: before the first and after a complete response', () => {
    const parser = new ResponseParser(() => {});
    expect(parser.busy).toBe(false);
    expect(() => parser.feed(b('HTTP/1.1 200 OK\r\n'), 0, 17)).toThrow(
      'the server sent data no request asked for',
    );
    parser.begin('GET', false, false);
    const ok = b('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    parser.feed(ok, 0, ok.length);
    expect(() => parser.feed(ok, 0, 1)).toThrow(ResponseParseError);
    // An empty read is no data.
    expect(() => parser.feed(ok, 3, 3)).not.toThrow();
  });

  it('does not reuse a connection that sent bytes after a complete response', () => {
    const twice =
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    expect(one(twice)).toEqual({
      responses: [{ status: 200, keepAlive: false, headers: { 'content-length': '2' }, body: 'ok' }],
    });
    expect(one('HTTP/1.1 204 No Content\r\n\r\nstray').responses).toMatchObject([
      { status: 204, keepAlive: false },
    ]);
  });

  it('end of stream in the middle of a body is an error naming the bytes received; during until-close it completes', () => {
    const cut = 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc';
    expect(one(cut, { end: true })).toEqual({
      responses: [],
      error: `the connection closed after ${cut.length} bytes of an incomplete response`,
    });
    const chunkCut = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab';
    expect(one(chunkCut, { end: true }).error).toMatch(/^the connection closed after \d+ bytes/);
    const headCut = 'HTTP/1.1 200 OK\r\nContent-Le';
    expect(one(headCut, { end: true }).error).toBe(
      `the connection closed after ${headCut.length} bytes of an incomplete response`,
    );
    expect(one('HTTP/1.1 200 OK\r\n\r\nabc', { end: true }).responses).toMatchObject([
      { body: 'abc', keepAlive: false },
    ]);
  });

  it('end of stream while idle answers nothing and throws nothing', () => {
    const parser = new ResponseParser(() => expect.unreachable('no response'));
    expect(() => parser.end()).not.toThrow();
    const ok = b('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    let answered = 0;
    const p2 = new ResponseParser(() => answered++);
    p2.begin('GET', false, false);
    p2.feed(ok, 0, ok.length);
    p2.end();
    expect(answered).toBe(1);
  });

  it('counts the bytes of the current exchange, from zero at each request', () => {
    const parser = new ResponseParser(() => {});
    parser.begin('GET', false, false);
    expect(parser.received).toBe(0);
    parser.feed(b(CL), 0, 10);
    expect(parser.received).toBe(10);
    parser.feed(b(CL), 10, CL.length);
    parser.begin('GET', false, false);
    expect(parser.received).toBe(0);
  });
});

describe('request bytes', () => {
  const req = (over: Partial<WireRequest> = {}): WireRequest => ({
    method: 'GET',
    path: '/api/items?page=2',
    host: 'rentguy.k8s.sevensa.test:17201',
    headers: {},
    ...over,
  });
  const text = (r: WireRequest) => serialiseRequest(r).toString('latin1');

  it('writes the request line, Host first, and a User-Agent', () => {
    expect(text(req({ headers: { Accept: 'application/json' } }))).toBe(
      'GET /api/items?page=2 HTTP/1.1\r\nHost: rentguy.k8s.sevensa.test:17201\r\n' +
        'Accept: application/json\r\nUser-Agent: cutover-load\r\n\r\n',
    );
  });

  it('keeps a Host and User-Agent the scenario gives, in any letter case, instead of adding its own', () => {
    const t = text(req({ headers: { host: 'other.example', 'USER-AGENT': 'k6/0.50' } }));
    expect(t).toBe('GET /api/items?page=2 HTTP/1.1\r\nhost: other.example\r\nUSER-AGENT: k6/0.50\r\n\r\n');
  });

  it('sends Content-Length for a body in bytes (UTF-8), and the body after the head', () => {
    const bytes = serialiseRequest(
      req({ method: 'POST', body: '{"naam":"José"}', headers: { 'content-type': 'application/json' } }),
    );
    const [head, body] = bytes.toString('utf8').split('\r\n\r\n');
    expect(head).toContain('\r\nContent-Length: 16');
    expect(body).toBe('{"naam":"José"}');
    expect(Buffer.byteLength(body!)).toBe(16);
  });

  it('sends Content-Length: 0 for POST, PUT and PATCH without body, and none for GET or DELETE without', () => {
    for (const method of ['POST', 'PUT', 'PATCH'])
      expect(text(req({ method }))).toContain('\r\nContent-Length: 0\r\n\r\n');
    for (const method of ['GET', 'DELETE', 'HEAD', 'OPTIONS'])
      expect(text(req({ method }))).not.toMatch(/content-length/i);
    expect(text(req({ method: 'DELETE', body: 'x' }))).toMatch(/\r\nContent-Length: 1\r\n\r\nx$/);
  });

  it("drops a scenario's own framing headers: the engine sets Content-Length, Transfer-Encoding and Connection", () => {
    const t = text(
      req({
        method: 'POST',
        body: 'abc',
        headers: {
          'Content-Length': '999',
          'transfer-encoding': 'chunked',
          Connection: 'close',
          'X-Keep': 'yes',
        },
      }),
    );
    expect(t).toBe(
      'POST /api/items?page=2 HTTP/1.1\r\nHost: rentguy.k8s.sevensa.test:17201\r\nX-Keep: yes\r\n' +
        'User-Agent: cutover-load\r\nContent-Length: 3\r\n\r\nabc',
    );
  });

  it('refuses CR, LF and NUL in a header value, naming the header', () => {
    for (const value of ['a\r\nX-Injected: 1', 'a\nb', 'a\rb', 'a\0b']) {
      expect(() => serialiseRequest(req({ headers: { 'X-Tenant': value } }))).toThrow(
        'the value of header X-Tenant contains CR, LF or NUL',
      );
    }
  });

  it('refuses other control characters and characters outside ISO-8859-1, naming the header; allows tab and Latin-1', () => {
    for (const value of ['a\x01b', 'a\x7fb', 'euro €', 'emoji 🙂']) {
      expect(() => serialiseRequest(req({ headers: { Authorization: value } }))).toThrow(
        'the value of header Authorization holds a control character or a character outside ISO-8859-1',
      );
    }
    const bytes = serialiseRequest(req({ headers: { 'X-Name': 'Zoë\tB' } }));
    expect(bytes.includes(Buffer.from('X-Name: Zo\xeb\tB', 'latin1'))).toBe(true);
  });

  it('refuses invalid header names, methods and paths', () => {
    for (const name of ['', 'X Y', 'X:Y', 'X\r\nY', 'Ü', '(x)']) {
      expect(() => serialiseRequest(req({ headers: { [name]: 'v' } })), name).toThrow(
        `invalid header name ${JSON.stringify(name)}`,
      );
    }
    for (const method of ['', 'GE T', 'GET\r\n', 'G/T']) {
      expect(() => serialiseRequest(req({ method })), method).toThrow(
        `invalid HTTP method ${JSON.stringify(method)}`,
      );
    }
    for (const path of ['', 'api', 'http://x/', '/a b', '/a\r\nHost: evil', '/a\0', '/a\tb']) {
      expect(() => serialiseRequest(req({ path })), path).toThrow(
        `invalid request path ${JSON.stringify(path)}`,
      );
    }
  });
});
