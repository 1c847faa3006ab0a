// The DNS cutover (the migration plan's week-11 "DNS Update"): each public host name of the target
// resolves to the target's ingress addresses and no longer to Compose's. Judged per host and resolver
// (the system's, and each DNS server the config names): pass when every address is the target's; fail
// when any address is Compose's — the host is named with the resolver that still sees Compose — or when
// an address is neither side's; a resolver that does not answer leaves the host unchecked (skip), never
// passed. Pure.
import type { CheckStatus } from '../../core/model.js';

export interface DnsHost {
  host: string;
  service: string;
}

export interface DnsJudgement {
  status: CheckStatus;
  reason: string;
}

const list = (xs: readonly string[]) => xs.join(', ');

export function judgeDns(
  host: string,
  via: string,
  resolved: { ok: true; addresses: string[] } | { ok: false; reason: string },
  target: readonly string[],
  compose: readonly string[],
): DnsJudgement {
  if (!resolved.ok) return { status: 'skip', reason: `${host} via ${via}: not resolved: ${resolved.reason}` };
  const onCompose = resolved.addresses.filter((a) => compose.includes(a));
  if (onCompose.length)
    return {
      status: 'fail',
      reason: `${host} via ${via} still resolves to Compose (${list(onCompose)})${onCompose.length < resolved.addresses.length ? ` beside ${list(resolved.addresses.filter((a) => !onCompose.includes(a)))}` : ''}`,
    };
  const foreign = resolved.addresses.filter((a) => !target.includes(a));
  if (foreign.length)
    return {
      status: 'fail',
      reason: `${host} via ${via} resolves to ${list(foreign)}, not the target's ingress (${list(target)})`,
    };
  return {
    status: 'pass',
    reason: `${host} via ${via} resolves to the target's ingress (${list(resolved.addresses)})`,
  };
}

/** The public host names of the target's services: not IP literals, one entry per host. */
export function publicHosts(
  services: Readonly<Record<string, { url: string }>>,
  isPublic: (service: string) => boolean,
): DnsHost[] {
  const out = new Map<string, DnsHost>();
  for (const [service, { url }] of Object.entries(services)) {
    if (!isPublic(service)) continue;
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      continue;
    }
    if (/^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[')) continue;
    if (!out.has(host)) out.set(host, { host, service });
  }
  return [...out.values()];
}
