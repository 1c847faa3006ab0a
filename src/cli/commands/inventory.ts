// `cutover inventory`: Compose ↔ Kubernetes parity in kompose's terms — each Compose service matched
// to its workload and Service (image, ports, env names, volumes → PVCs, healthcheck → probes,
// replicas, limits). Offline on files, or against a cluster with --context. `--json` prints
// {"services": [{name, status, differences, …}], …}; fields may be added, never removed.
// Exit: 0 every service matched, 1 something missing or different, 2 bad input.
import { resolve } from 'node:path';
import { EXIT, UserError } from '../../core/errors.js';
import { compareInventory, type InventoryReport } from '../../core/inventory/parity.js';
import { readComposeFile } from '../../runners/kube/compose-file.js';
import type { Io } from '../io.js';
import { type KubeInputFlags, readKubeInput } from '../kube-input.js';

export interface InventoryFlags extends KubeInputFlags {
  compose: string;
  profile?: string[];
  json?: boolean;
}

function render(r: InventoryReport): string {
  const lines: string[] = [];
  for (const s of r.services) {
    const mark = s.status === 'matched' ? '✓' : s.status === 'missing' ? '✗' : '≠';
    lines.push(
      `${mark} ${s.name.padEnd(24)} ${s.status.padEnd(9)} ${s.workload ?? ''}${s.ports.length ? `  ports ${s.ports.join(', ')}` : ''}`,
    );
    for (const d of s.differences) lines.push(`    ${d.severity.padEnd(6)} ${d.field}: ${d.message}`);
  }
  if (r.extra.length) lines.push(`\nIn Kubernetes only: ${r.extra.join(', ')}`);
  if (r.inactive.length)
    lines.push(
      `Not compared (profile not enabled): ${r.inactive.map((i) => `${i.name} [${i.profiles.join(', ')}]`).join(', ')}`,
    );
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  if (r.unsetVariables.length)
    lines.push(
      `note: variables not set (Compose substitutes "" and warns): ${r.unsetVariables.join(', ')} — set them in the environment or in the .env beside the Compose file`,
    );
  const counts = ['matched', 'different', 'missing'].map(
    (st) => `${r.services.filter((s) => s.status === st).length} ${st}`,
  );
  return `${lines.join('\n')}\n\n${counts.join(', ')}\n`;
}

export async function inventoryCommand(io: Io, flags: InventoryFlags): Promise<number> {
  const read = readComposeFile(resolve(io.cwd, flags.compose), {
    display: flags.compose,
    profiles: flags.profile ?? (io.env.COMPOSE_PROFILES ?? '').split(',').filter(Boolean),
    env: io.env,
  });
  if (!read.ok) throw new UserError(`--compose ${read.reason}`);
  const compose = read.model;
  const input = await readKubeInput(io, flags);
  const report = compareInventory(compose, input.objects);
  io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : render(report));
  return report.services.every((s) => s.status === 'matched') ? EXIT.GO : EXIT.NO_GO;
}
