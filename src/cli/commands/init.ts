// `cutover init --compose FILE [-f MANIFESTS... | --context NAME [-n NS]...] [--dry-run] [--force]`:
// a first cutover.config.ts from what the platform already says — every Compose service, its URL on the
// baseline (ports, Traefik labels) and on the target (Ingresses, IngressRoutes, LoadBalancers), health
// paths from healthchecks and readiness probes — with a TODO wherever nothing says, and a suites/
// skeleton. Never overwrites without --force; --dry-run prints the config and writes nothing.
// Exit: 0 written (or printed), 2 bad input or an existing config, 3 the cluster did not answer.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { CONFIG_FILE_NAMES } from '../../config/load.js';
import { EXIT, UserError } from '../../core/errors.js';
import { draftConfig } from '../../core/init/draft.js';
import { renderConfig } from '../../core/init/render.js';
import type { K8sObject } from '../../core/security/objects.js';
import { writeFileAtomic } from '../../record/files.js';
import { readComposeFile } from '../../runners/kube/compose-file.js';
import type { Io } from '../io.js';
import { type KubeInputFlags, readKubeInput, readManifestFiles } from '../kube-input.js';

export interface InitFlags extends KubeInputFlags {
  compose: string;
  profile?: string[];
  dryRun?: boolean;
  force?: boolean;
  /** The global --config: where to write (default cutover.config.ts here). */
  config?: string;
}

/** The kinds that say where a service is reached and what its probes check. */
const INIT_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Service', 'Ingress', 'IngressRoute']);
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

const SUITES_README = `# suites/

Your own checks beside \`cutover.config.ts\`, each a TypeScript file importing from 'cutover':

- \`suites/integration/*.ts\` — API flows (\`defineFlow\`) run on both sides and compared field by field;
  list them in the config: \`integration: { scenarios: ['./suites/integration/orders.ts'] }\`.
- \`suites/performance/*.ts\` — load scenarios (\`defineLoad\`);
  \`performance: { scenarioFiles: ['./suites/performance/orders-read.ts'] }\`.
- \`gates/*.ts\` (beside suites/) — your own go/no-go gates (\`defineGate\`).

Cutover's docs: guide.md (flows, load, gates step by step) and first-hour.md (from \`cutover init\` to a report).
`;

/**
 * A first gate of the project's own. Without one, a project is judged by the built-in gates of the
 * Sevensa migration plan, whose waves a new project does not have; with it, the first run's verdict is
 * this project's: every service healthy on the target (and the tool's own smoke gate beside it).
 */
const starterGate = (
  phase: number,
) => `// A first gate of your own: every service healthy on the target. Add criteria as the migration plan
// says what "moved" means (integration parity, latency against the baseline): Cutover's docs/gates.md.
// With a gate in gates/, the built-in gates of Cutover's own example plan no longer apply.
import { defineGate } from 'cutover';

export default defineGate({
  id: 'healthy',
  phase: ${phase},
  title: 'Every service healthy on the target',
  criteria: [{ id: 'smoke', title: 'no failed smoke check', serves: 1, expr: 'smoke.failed == 0' }],
});
`;

const GATE_FILE = /\.(m?ts|m?js)$/;

/** Relative path for the config, posix-style with `./`, so the file reads the same on every machine. */
function relativeFrom(folder: string, file: string): string {
  const rel = relative(folder, file).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

async function readClusterObjects(
  io: Io,
  flags: InitFlags,
): Promise<{ objects: K8sObject[]; namespaces: string[] }> {
  if (flags.namespace?.length) {
    const read = await readKubeInput(io, flags);
    return { objects: read.objects, namespaces: flags.namespace };
  }
  // No --namespace: every namespace but Kubernetes' own, as a new user expects a first look to do.
  const [{ openKubeAccess }, { readCluster, NAMESPACED_KINDS, CLUSTER_KINDS }] = await Promise.all([
    import('../../runners/kube/client.js'),
    import('../../runners/kube/read-objects.js'),
  ]);
  const context = flags.context!;
  const opened = openKubeAccess({
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    context,
    baseDir: io.cwd,
    env: io.env,
  });
  if (!opened.ok) throw new UserError(`--context ${context}: ${opened.reason}`);
  const namespaceKind = CLUSTER_KINDS.filter((k) => k.kind === 'Namespace');
  const listed = await readCluster(opened.access, [], { cluster: namespaceKind, namespaced: [] });
  if (!listed.reachable || listed.problems.length > 0)
    throw new UserError(
      `--context ${context}: ${listed.problems[0]?.message ?? 'the API server did not answer'}`,
      { exitCode: listed.reachable ? EXIT.USAGE : EXIT.INCONCLUSIVE, hint: 'name the namespaces with -n NS' },
    );
  const namespaces = listed.objects
    .map((o) => o.metadata?.name ?? '')
    .filter((n) => n && !SYSTEM_NAMESPACES.has(n));
  const read = await readCluster(opened.access, namespaces, {
    cluster: namespaceKind,
    namespaced: NAMESPACED_KINDS.filter((k) => INIT_KINDS.has(k.kind)),
  });
  for (const p of read.problems)
    io.stderr(`warning: could not read ${p.kind}${p.namespace ? ` in ${p.namespace}` : ''}: ${p.message}\n`);
  return { objects: read.objects, namespaces: [] };
}

export async function initCommand(io: Io, flags: InitFlags): Promise<number> {
  const configFile = resolve(io.cwd, flags.config ?? CONFIG_FILE_NAMES[0]!);
  if (!['.ts', '.mts'].includes(extname(configFile)))
    throw new UserError(`--config ${flags.config}: cutover init writes TypeScript; name a .ts file`);
  const folder = dirname(configFile);
  if (!flags.dryRun && !flags.force) {
    // Any config the folder already has would be found before or beside the new one: never replace it unasked.
    const existing = [configFile, ...CONFIG_FILE_NAMES.map((n) => join(folder, n))].find((f) =>
      existsSync(f),
    );
    if (existing)
      throw new UserError(`${relative(io.cwd, existing) || existing} already exists; nothing was written`, {
        hint: 'cutover init --force replaces it, --dry-run prints the new config instead',
      });
  }
  if (flags.manifests?.length && flags.context)
    throw new UserError('give --manifests or --context, not both');

  const composePath = resolve(io.cwd, flags.compose);
  // A required variable (`${DB_PASSWORD:?}`) is a secret or a deployment's setting the config never
  // holds: init reads the file with a placeholder for each one unset, and says so, rather than asking
  // for secrets it would not use.
  const placeholders: Record<string, string> = {};
  const readWith = () =>
    readComposeFile(composePath, {
      display: flags.compose,
      profiles: flags.profile ?? (io.env.COMPOSE_PROFILES ?? '').split(',').filter(Boolean),
      env: { ...io.env, ...placeholders },
    });
  let read = readWith();
  for (let i = 0; !read.ok && i < 50; i++) {
    const name = /required variable (\S+) is missing a value/.exec(read.reason)?.[1];
    if (!name || name in placeholders) break;
    placeholders[name] = `cutover-init-placeholder-${name.toLowerCase()}`;
    read = readWith();
  }
  if (!read.ok) throw new UserError(`--compose ${read.reason}`);
  for (const name of Object.keys(placeholders))
    io.stderr(
      `note: ${name} is required by ${flags.compose} and not set: read with a placeholder (its value never enters the config)\n`,
    );

  let objects: K8sObject[] | undefined;
  let namespaces: string[] = [];
  let targetSource: string | undefined;
  if (flags.manifests?.length) {
    objects = readManifestFiles(io, flags.manifests);
    if (objects.length === 0)
      throw new UserError(`--manifests ${flags.manifests.join(' ')}: no Kubernetes objects found`);
    targetSource = flags.manifests.join(', ');
  } else if (flags.context) {
    ({ objects, namespaces } = await readClusterObjects(io, flags));
    targetSource = `the cluster of context ${flags.context}`;
  }

  const composeFolder = basename(dirname(realpathSync(composePath)));
  const draft = draftConfig(read.model, { folder: composeFolder, ...(objects ? { objects } : {}) });
  const rendered = renderConfig(draft, {
    composeFile: relativeFrom(folder, composePath),
    ...(targetSource ? { targetSource } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(flags.kubeconfig ? { kubeconfig: relativeFrom(folder, resolve(io.cwd, flags.kubeconfig)) } : {}),
    ...(namespaces.length ? { namespaces } : {}),
  });

  const shown = relative(io.cwd, configFile) || configFile;
  if (flags.dryRun) io.stdout(rendered.source);
  else {
    writeFileAtomic(configFile, rendered.source);
    const readme = join(folder, 'suites', 'README.md');
    if (!existsSync(readme)) writeFileAtomic(readme, SUITES_README);
    const gates = join(folder, 'gates');
    if (!existsSync(gates) || !readdirSync(gates).some((f) => GATE_FILE.test(f))) {
      const phases = draft.services.filter((s) => !s.nonHttp).map((s) => s.phase);
      writeFileAtomic(join(gates, 'healthy.ts'), starterGate(phases.length ? Math.min(...phases) : 3));
      io.stderr(
        `${relative(io.cwd, join(gates, 'healthy.ts'))}: a first gate of your own (every service healthy on the target)\n`,
      );
    }
  }
  summarise(io, draft, rendered.todos, flags.dryRun ? `${shown} (dry run: nothing written)` : shown);
  return EXIT.GO;
}

function summarise(io: Io, draft: ReturnType<typeof draftConfig>, todos: string[], shown: string): void {
  const http = draft.services.filter((s) => !s.nonHttp);
  const count = (side: 'baseline' | 'target') => http.filter((s) => s[side]?.url).length;
  io.stderr(
    `${shown}: ${http.length} service${http.length === 1 ? '' : 's'}; URLs for ${count('baseline')} on the baseline, ${count('target')} on the target\n`,
  );
  // Phases are the migration plan's: one line for all of them, the rest one line each.
  const phases = todos.filter((t) => /^[^:(]+: the migration phase/.test(t));
  const rest = todos.filter((t) => !phases.includes(t));
  io.stderr(`TODO (${todos.length}, marked in the file):\n`);
  if (phases.length)
    io.stderr(
      `  the migration phase (and wave) of ${phases.length} service${phases.length === 1 ? '' : 's'}\n`,
    );
  for (const t of rest) io.stderr(`  ${t}\n`);
  for (const w of draft.warnings) io.stderr(`warning: ${w}\n`);
  io.stderr('next: settle the TODOs, then `cutover doctor` and `cutover run --suite smoke`\n');
}
