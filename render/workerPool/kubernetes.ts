// A worker pool on Kubernetes: the Kubernetes target's context for the pool's namespace (task containers in a Kata
// RuntimeClass, beside a Docker engine in each worker's pod: render/kubernetes/statefulSet.ts), the layout of its
// workers, and kata-deploy (a pinned Helm chart that installs Kata on the nodes and creates its RuntimeClasses).
import type { KubeContext } from "../kubernetes/meta";
import { serviceDns } from "../kubernetes/meta";
import type { KubernetesTargetSpec, WorkerPoolSpec } from "../../settings/workerPool";
import { serviceName } from "./services";
import type { PoolLayout } from "./workloads";

export function poolKubeContext(pool: WorkerPoolSpec, target: KubernetesTargetSpec): KubeContext {
  return { partOf: pool.name, namespace: target.namespace, storageSize: target.storageSize, resources: target.resources, tasks: { runtimeClassName: target.runtimeClassName, engineImage: pool.images.dind } };
}

/**
 * `replicas` workers, each its own StatefulSet with its own wallet; the engine of its tasks sees `baseDir` too. They
 * reach the core at the pool's `coreUrl`, or at the core's Service.
 */
export function kubernetesLayout(pool: WorkerPoolSpec, target: KubernetesTargetSpec): PoolLayout {
  const workers = Array.from({ length: target.replicas }, (_, i) => ({ name: `${pool.name}-worker-${i}`, dir: target.baseDir, key: `worker-${i}` }));
  return { coreUrl: pool.coreUrl ?? `http://${serviceDns(serviceName(pool.name, "core"), target.namespace)}:${pool.corePort}`, workers };
}

/** kata-deploy's Helm chart, pinned; it installs Kata on the nodes and creates the `kata-<shim>` RuntimeClasses. */
export function renderKataDeploy(target: KubernetesTargetSpec) {
  const k = target.kataDeploy;
  return { chart: k.chart, version: k.version, namespace: k.namespace };
}
