// What the k6-operator engine hands a cluster: TestRun names within Kubernetes' limits and distinct,
// and no pin that means this machine or its network.
import { describe, expect, it } from 'vitest';
import { isInternalAddress } from '../../src/runners/http/pinning.js';
import { dnsName, refuseInternalPins } from '../../src/runners/k6/operator-input.js';
import type { EnginePlan } from '../../src/runners/load/engine-input.js';

describe('TestRun names', () => {
  const prefix = dnsName('cutover-20261207-051500-af25');

  it('stay within 52 characters and distinct when they share their first 52', () => {
    const warmup = dnsName(`${prefix}-trading-dashboard-targ-w`);
    const block0 = dnsName(`${prefix}-trading-dashboard-targ-0`);
    expect(warmup).not.toBe(block0);
    for (const n of [warmup, block0]) {
      expect(n.length).toBeLessThanOrEqual(52);
      expect(n).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    }
    expect(warmup.startsWith(`${prefix}-trading-dash`)).toBe(true);
  });

  it('are kept as written when they fit, and are the same for the same input', () => {
    expect(dnsName('cutover-run-rentguy-base-0')).toBe('cutover-run-rentguy-base-0');
    expect(dnsName('Cutover_Run!')).toBe('cutover-run');
    const long = `${prefix}-a-scenario-with-a-long-name-base-3`;
    expect(dnsName(long)).toBe(dnsName(long));
  });
});

describe('pins handed to runner pods', () => {
  it('knows loopback, private and link-local addresses, IPv4 and IPv6', () => {
    for (const a of [
      '127.0.0.2',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.1.1',
      '::1',
      'fd00::1',
      '[::1]',
    ])
      expect(isInternalAddress(a), a).toBe(true);
    for (const a of ['203.0.113.7', '172.32.0.1', '2001:db8::1', 'rentguy.example.com'])
      expect(isInternalAddress(a), a).toBe(false);
  });

  const plan = (pins: Record<string, string>, baseUrl = 'https://rentguy-api.k8s.sevensa.test') =>
    ({
      scenarios: [
        {
          module: { scenario: { name: 'rentguy' } },
          targets: { target: { baseUrl, pins, insecure: false } },
        },
      ],
    }) as unknown as EnginePlan;

  it('refuses a loopback or private pin, naming the environment, host, address and scenario', () => {
    expect(() => refuseInternalPins(plan({ '*.k8s.sevensa.test': '127.0.0.2' }))).toThrow(
      /environments\.target\.resolve pins rentguy-api\.k8s\.sevensa\.test to 127\.0\.0\.2, a loopback or private address.*scenario rentguy/,
    );
    expect(() => refuseInternalPins(plan({ 'rentguy-api.k8s.sevensa.test:443': '10.0.0.5' }))).toThrow(
      /to 10\.0\.0\.5/,
    );
  });

  it('passes public pins and pins for other hosts', () => {
    expect(() => refuseInternalPins(plan({ '*.k8s.sevensa.test': '203.0.113.7' }))).not.toThrow();
    expect(() => refuseInternalPins(plan({ 'other.example.com': '127.0.0.1' }))).not.toThrow();
    expect(() => refuseInternalPins(plan({}))).not.toThrow();
  });
});
