#!/usr/bin/env node
// The load benchmark's known-delay server, in a process of its own so the benchmark's bookkeeping never
// delays it. Holds every request DELAY ms on a timer (no spinning: a spinning handler delays the reading
// of the next requests, which its own clock would not see) and records how long it actually held each
// one. Driven over IPC by bench/perf-bench.mjs: {stall: ms} stops answering for that long, {held: true}
// replies with [arrival ms, held ms] of every request since the last ask (and forgets them). A request
// with an `x-trace-id` header gets it back, and {trace: true} replies with [id, handler start, answer
// written] per traced request in ms of the monotonic clock all processes on the machine share
// (bench/accuracy-breakdown.mjs matches them with the client's own times).
import { createServer } from 'node:http';

const DELAY = Number(process.argv[2] ?? 20);
let stallUntil = 0;
let held = [];
let traced = [];
const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;
const server = createServer((req, res) => {
  const start = performance.now();
  const id = req.headers['x-trace-id'];
  const arrived = id === undefined ? 0 : monotonicMs();
  // Held until the answer is handed to the kernel: the time spent writing it is the server's too.
  const answer = () => {
    const headers = { 'content-type': 'application/json', ...(id === undefined ? {} : { 'x-trace-id': id }) };
    res.writeHead(200, headers).end('{"ok":true}');
    held.push([start, performance.now() - start]);
    if (id !== undefined) traced.push([id, arrived, monotonicMs()]);
  };
  setTimeout(() => {
    const wait = stallUntil - performance.now();
    if (wait > 0) setTimeout(answer, wait);
    else answer();
  }, DELAY);
});
server.keepAliveTimeout = 60_000;
process.on('message', (m) => {
  if (m.stall) stallUntil = performance.now() + m.stall;
  if (m.held) {
    process.send({ held });
    held = [];
  }
  if (m.trace) {
    process.send({ traced });
    traced = [];
  }
});
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
