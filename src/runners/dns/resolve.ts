// Resolves a host name the two ways a DNS cutover is checked: through the system resolver (what this
// machine's programs see: /etc/hosts, nsswitch, the configured resolvers, via getaddrinfo) and through a
// named DNS server (what the world sees from it, past local caches and hosts files). A failure is a
// value with its code (ENOTFOUND, ETIMEOUT, ECONNREFUSED), never thrown.
import { promises as dns } from 'node:dns';

export type Resolution = { ok: true; addresses: string[] } | { ok: false; reason: string };

const codeOf = (error: unknown) =>
  (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));

/** `server` undefined: the system resolver; else `1.1.1.1`, `10.0.0.2:5353` or `[::1]:53`. */
export async function resolveHost(host: string, server?: string, timeoutMs = 3000): Promise<Resolution> {
  if (server === undefined) {
    try {
      const found = await dns.lookup(host, { all: true, verbatim: true });
      return { ok: true, addresses: [...new Set(found.map((a) => a.address))].sort() };
    } catch (error) {
      return { ok: false, reason: `the system resolver: ${codeOf(error)}` };
    }
  }
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
  try {
    resolver.setServers([server]);
  } catch (error) {
    return { ok: false, reason: `DNS server ${server}: not an address (${codeOf(error)})` };
  }
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  const addresses = [
    ...(v4.status === 'fulfilled' ? v4.value : []),
    ...(v6.status === 'fulfilled' ? v6.value : []),
  ];
  if (addresses.length > 0) return { ok: true, addresses: [...new Set(addresses)].sort() };
  const reasons = [v4, v6].flatMap((r) => (r.status === 'rejected' ? [codeOf(r.reason)] : []));
  // No A and no AAAA record, both answered: the name exists without addresses.
  if (reasons.length === 0) return { ok: false, reason: `DNS server ${server}: no A or AAAA record` };
  return { ok: false, reason: `DNS server ${server}: ${[...new Set(reasons)].join(', ')}` };
}
