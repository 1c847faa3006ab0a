// The simulated k6-operator controller on its own: the operator's Jobs, labels and runner command, the
// stage sequence, and `error` when the script's ConfigMap is missing.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCluster, ensureNamespace } from '../../sim/kube/index.js';
import { installK6OperatorSim } from '../../sim/kube/k6-operator.js';
import { ROOT } from '../helpers/project.js';

const testRun = (name: string, configMap: string) => ({
  apiVersion: 'k6.io/v1alpha1',
  kind: 'TestRun',
  metadata: { name, namespace: 'load' },
  spec: {
    parallelism: 2,
    script: { configMap: { name: configMap, file: 'test.js' } },
    arguments: '--out json=-',
  },
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never: ${what}`);
}

describe('simulated k6-operator', () => {
  it('creates initializer, starter and runner Jobs with the operator’s labels and runner command', async () => {
    const cluster = buildCluster({
      setup: (c) => installK6OperatorSim(c, { k6: join(ROOT, 'test/fixtures/k6-standin/k6') }),
    });
    ensureNamespace(cluster, 'load');
    cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'script', namespace: 'load' },
      data: {
        'test.js':
          'export const options = { scenarios: { s: { executor: "constant-vus", vus: 1, duration: "1s" } } };\nexport default function () {}\n',
      },
    });
    const stages: string[] = [];
    cluster.on('TestRun', (e) =>
      stages.push(String((e.object.status as { stage?: string } | undefined)?.stage)),
    );
    cluster.apply(testRun('t1', 'script'));
    await until(() => stages.includes('finished'), 'finished');
    expect(stages.filter((s) => s !== 'undefined')).toEqual([
      'initialization',
      'initialized',
      'created',
      'started',
      'stopped',
      'finished',
    ]);
    const jobs = cluster
      .list('Job', 'load')
      .map((j) => j.metadata.name)
      .sort();
    expect(jobs).toEqual(['t1-1', 't1-2', 't1-initializer', 't1-starter']);
    const runner = cluster.find('Job', 'load', 't1-2')!;
    expect(runner.metadata.labels).toMatchObject({ app: 'k6', k6_cr: 't1', runner: 'true' });
    const command = (runner.spec as { template: { spec: { containers: Array<{ command: string[] }> } } })
      .template.spec.containers[0]!.command;
    expect(command).toEqual(
      expect.arrayContaining([
        '--execution-segment=1/2:1',
        '--execution-segment-sequence=0,1/2,1',
        '--paused',
        'instance_id=2',
        'testrun_name=t1',
      ]),
    );
    expect((runner.status as { succeeded?: number }).succeeded).toBe(1);
  });

  it('ends in stage error when the script ConfigMap does not exist', async () => {
    const cluster = buildCluster({ setup: (c) => installK6OperatorSim(c, { k6: '/nonexistent/k6' }) });
    ensureNamespace(cluster, 'load');
    cluster.apply(testRun('t2', 'missing'));
    await until(
      () => (cluster.find('TestRun', 'load', 't2')?.status as { stage?: string })?.stage === 'error',
      'error',
    );
    expect(cluster.list('Job', 'load')).toEqual([]);
  });
});
