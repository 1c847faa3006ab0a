// Where the offline Kubernetes commands get their objects: manifest files (`--manifests a.yaml b.yaml`,
// a folder of YAML files, or `-` for Helm's rendered output on stdin), or a live cluster
// (`--context CTX [--kubeconfig FILE] --namespace NS...`). Every problem is a UserError naming the
// file, document or context, never a stack trace.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { ManifestError, parseManifestObjects } from '../core/security/manifests.js';
import type { K8sObject } from '../core/security/objects.js';
import type { Io } from './io.js';

export interface KubeInputFlags {
  manifests?: string[];
  context?: string;
  kubeconfig?: string;
  namespace?: string[];
}

function readText(io: Io, file: string): string {
  if (file === '-') return readFileSync(0, 'utf8');
  try {
    return readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new UserError(
      `--manifests ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
}

function expand(io: Io, file: string): string[] {
  if (file === '-') return [file];
  const path = resolve(io.cwd, file);
  try {
    if (statSync(path).isDirectory()) {
      const files = readdirSync(path)
        .filter((f) => /\.(ya?ml|json)$/.test(f))
        .sort()
        .map((f) => join(file, f));
      if (files.length === 0)
        throw new UserError(`--manifests ${file}: the folder has no .yaml, .yml or .json files`);
      return files;
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      `--manifests ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  return [file];
}

export function readManifestFiles(io: Io, files: readonly string[]): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const file of files.flatMap((f) => expand(io, f))) {
    try {
      objects.push(...parseManifestObjects(readText(io, file), file === '-' ? 'stdin' : file));
    } catch (error) {
      if (error instanceof ManifestError) throw new UserError(`--manifests ${error.message}`);
      throw error;
    }
  }
  return objects;
}

/** Objects from --manifests or from a cluster (--context); exactly one of the two. */
export async function readKubeInput(
  io: Io,
  flags: KubeInputFlags,
): Promise<{ objects: K8sObject[]; namespaces?: string[]; source: 'manifests' | 'cluster' }> {
  if (flags.manifests?.length && flags.context)
    throw new UserError('give --manifests or --context, not both');
  if (flags.manifests?.length) {
    const objects = readManifestFiles(io, flags.manifests);
    // Nothing to judge is not a pass: an empty render or the wrong file must not read as "no findings".
    if (objects.length === 0) {
      throw new UserError(`--manifests ${flags.manifests.join(' ')}: no Kubernetes objects found`);
    }
    return { objects, source: 'manifests' };
  }
  if (!flags.context)
    throw new UserError(
      'nothing to read: give --manifests FILE... (or --context CTX --namespace NS... for a cluster)',
    );
  if (!flags.namespace?.length)
    throw new UserError('--context needs --namespace NS (repeatable): the application namespaces to read');
  // The cluster client is imported only for --context: client-node costs ~0.6 s of CPU to import, which
  // the offline --manifests path (CI on rendered charts) would otherwise pay on every call.
  const [{ openKubeAccess }, { readCluster }] = await Promise.all([
    import('../runners/kube/client.js'),
    import('../runners/kube/read-objects.js'),
  ]);
  const opened = openKubeAccess({
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    context: flags.context,
    baseDir: io.cwd,
    env: io.env,
  });
  if (!opened.ok) throw new UserError(`--context ${flags.context}: ${opened.reason}`);
  const read = await readCluster(opened.access, flags.namespace);
  if (!read.reachable) {
    throw new UserError(
      `--context ${flags.context}: ${read.problems[0]?.message ?? 'the API server did not answer'}`,
      { exitCode: 3 },
    );
  }
  for (const p of read.problems)
    io.stderr(`warning: could not read ${p.kind}${p.namespace ? ` in ${p.namespace}` : ''}: ${p.message}\n`);
  return { objects: read.objects, namespaces: flags.namespace, source: 'cluster' };
}
