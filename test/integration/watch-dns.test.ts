// Resolving a host for the DNS cutover check through the system resolver and through a named DNS server
// that does not answer: addresses, or the reason — never an exception.
import { describe, expect, it } from 'vitest';
import { resolveHost } from '../../src/runners/dns/resolve.js';
import { freePort } from '../helpers/project.js';

describe('resolving a host for the DNS cutover', () => {
  it('reads the system resolver, /etc/hosts included', async () => {
    const found = await resolveHost('localhost');
    expect(found.ok && found.addresses.some((a) => a === '127.0.0.1' || a === '::1')).toBe(true);
    const none = await resolveHost('no-such-host.invalid');
    expect(none).toEqual({
      ok: false,
      reason: expect.stringMatching(/^the system resolver: (ENOTFOUND|EAI_AGAIN)/),
    });
  });

  it('says why a named DNS server gave nothing', async () => {
    const port = await freePort();
    const silent = await resolveHost('shop.example.com', `127.0.0.1:${port}`, 500);
    expect(silent).toEqual({
      ok: false,
      reason: expect.stringMatching(new RegExp(`^DNS server 127.0.0.1:${port}: (ECONNREFUSED|ETIMEOUT)`)),
    });
    expect(await resolveHost('shop.example.com', 'not an address')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^DNS server not an address: not an address/),
    });
  });
});
