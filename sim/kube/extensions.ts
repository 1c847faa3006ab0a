// Simulated controllers other parts of the simulator add to the demo's cluster, one line each (for
// example the k6-operator stand-in that turns a TestRun into runner Jobs and pods). Each is called
// with the cluster before the manifests load, so its hooks see every object:
//
//   export const KUBE_SIM_EXTENSIONS: readonly KubeSimExtension[] = [kubeBenchSim, k6OperatorSim];
import type { KubeCluster } from './cluster.js';
import { k6OperatorSim } from './k6-operator.js';
import { kubeBenchSim } from './kube-bench-sim.js';

export type KubeSimExtension = (cluster: KubeCluster) => void;

export const KUBE_SIM_EXTENSIONS: readonly KubeSimExtension[] = [kubeBenchSim, k6OperatorSim];
