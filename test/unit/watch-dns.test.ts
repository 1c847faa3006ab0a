// The DNS cutover check's judgement: target addresses pass, a Compose address fails naming the host and
// resolver, an unknown address fails, an unanswered lookup is unchecked — and the watch is not healthy
// while a host still resolves to Compose.
import { describe, expect, it } from 'vitest';
import { decideWatch } from '../../src/suites/post-cutover/breach.js';
import { judgeDns, publicHosts } from '../../src/suites/post-cutover/dns.js';

const TARGET = ['203.0.113.10', '2001:db8::10'];
const COMPOSE = ['198.51.100.5'];

describe('the DNS cutover', () => {
  it('judges each host and resolver by the addresses it gives', () => {
    expect(
      judgeDns(
        'shop.example.com',
        'the system resolver',
        { ok: true, addresses: ['203.0.113.10'] },
        TARGET,
        COMPOSE,
      ),
    ).toEqual({
      status: 'pass',
      reason: "shop.example.com via the system resolver resolves to the target's ingress (203.0.113.10)",
    });
    expect(
      judgeDns(
        'shop.example.com',
        '1.1.1.1',
        { ok: true, addresses: ['198.51.100.5', '203.0.113.10'] },
        TARGET,
        COMPOSE,
      ),
    ).toEqual({
      status: 'fail',
      reason: 'shop.example.com via 1.1.1.1 still resolves to Compose (198.51.100.5) beside 203.0.113.10',
    });
    expect(
      judgeDns('a.example.com', 'x', { ok: true, addresses: ['192.0.2.1'] }, TARGET, COMPOSE).reason,
    ).toBe(
      "a.example.com via x resolves to 192.0.2.1, not the target's ingress (203.0.113.10, 2001:db8::10)",
    );
    expect(judgeDns('a.example.com', 'x', { ok: false, reason: 'ETIMEOUT' }, TARGET, COMPOSE)).toEqual({
      status: 'skip',
      reason: 'a.example.com via x: not resolved: ETIMEOUT',
    });
  });

  it('takes the public host names of the target, not IP literals, one per host', () => {
    const services = {
      shop: { url: 'https://shop.example.com' },
      api: { url: 'https://shop.example.com/api' },
      internal: { url: 'http://internal.svc:8080' },
      sim: { url: 'http://127.0.0.1:9000' },
      v6: { url: 'http://[::1]:9000' },
    };
    expect(publicHosts(services, (id) => id !== 'internal')).toEqual([
      { host: 'shop.example.com', service: 'shop' },
    ]);
  });

  it('keeps the watch from healthy while a host still points at Compose', () => {
    const c = (check: string, status: string, reason = 'r') => ({
      suite: 'post-cutover',
      check,
      status,
      service: 's',
      reason,
    });
    expect(
      decideWatch([
        c('watch', 'pass'),
        c('dns', 'fail', 'shop.example.com via 1.1.1.1 still resolves to Compose (198.51.100.5)'),
      ]),
    ).toEqual({
      decision: 'inconclusive',
      reason: 'DNS cutover: shop.example.com via 1.1.1.1 still resolves to Compose (198.51.100.5)',
    });
    expect(decideWatch([c('watch', 'pass'), c('dns', 'pass')]).decision).toBe('healthy');
  });
});
