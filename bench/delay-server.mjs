#!/usr/bin/env node
// The load benchmark's known-delay server, in a process of its own so the benchmark's bookkeeping never
// delays it. Holds every request DELAY ms on a timer (no spinning: a spinning handler delays the reading
// of the next requests, which its own clock would not see) and records how long it actually held each
// one. Driven over IPC by bench/perf-bench.mjs: {stall: ms} stops answering for that long, {held: true}
// replies with [arrival ms, held ms] of every request since the last ask (and forgets them).
import { createServer } from 'node:http';

const DELAY = Number(process.argv[2] ?? 20);
let stallUntil = 0;
let held = [];
const server = createServer((_req, res) => {
  const start = performance.now();
  // Held until the answer is handed to the kernel: the time spent writing it is the server's too.
  const answer = () => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    held.push([start, performance.now() - start]);
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
});
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
