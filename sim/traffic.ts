// The platform's users, for `cutover demo`'s post-cutover watch: a steady, bounded stream of requests to
// a set of URLs (each service's health path on the target), so the watch reads production-like traffic
// from Prometheus. Started only while the watch runs — never during the performance comparison, whose
// figures it would bend. Requests go to the simulator's loopback listeners only, at most `maxInFlight`
// at a time: a stalled service slows the stream down instead of piling requests up.
//
// Hand-written rather than a load library: the demo needs a few hundred GETs a second for some seconds,
// with no measurement at all (Prometheus measures), and Cutover's own load engine is a suite, not
// something the simulator may import.
import http from 'node:http';

export interface UserTrafficOptions {
  /** Full URLs to request in turn, round robin. Loopback only. */
  urls: readonly string[];
  /** Requests per second over all URLs. */
  ratePerSecond: number;
  /** Most requests in flight; a request over it is skipped, not queued. @default 64 */
  maxInFlight?: number;
}

export interface UserTraffic {
  /** Requests sent so far, and how many were skipped because too many were in flight. */
  counts(): { sent: number; skipped: number };
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function startUserTraffic(options: UserTrafficOptions): UserTraffic {
  const urls = options.urls.map((u) => new URL(u));
  for (const u of urls)
    if (!LOOPBACK.has(u.hostname) && !u.hostname.startsWith('127.'))
      throw new Error(`simulated users send to loopback only, not ${u.host}`);
  const maxInFlight = options.maxInFlight ?? 64;
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  let inFlight = 0;
  let sent = 0;
  let skipped = 0;
  let next = 0;
  const pending = new Set<Promise<void>>();
  const send = () => {
    if (urls.length === 0) return;
    if (inFlight >= maxInFlight) {
      skipped++;
      return;
    }
    const url = urls[next++ % urls.length]!;
    inFlight++;
    sent++;
    const done = new Promise<void>((resolve) => {
      const req = http.get(url, { agent, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('error', resolve);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', resolve);
    }).finally(() => {
      inFlight--;
      pending.delete(done);
    });
    pending.add(done);
  };
  // Ticks of 20 ms, each sending its share, so the stream is smooth at any rate.
  const TICK_MS = 20;
  const perTick = (options.ratePerSecond * TICK_MS) / 1000;
  let owed = 0;
  const timer = setInterval(() => {
    owed += perTick;
    while (owed >= 1) {
      owed -= 1;
      send();
    }
  }, TICK_MS);
  return {
    counts: () => ({ sent, skipped }),
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
      agent.destroy();
    },
  };
}
