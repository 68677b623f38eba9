// A PodDisruptionBudget per critical workload (a sealer). Each authority is one signer identity in one pod: evicting
// it takes a signer offline, and Clique (more than half must sign) or QBFT (more than two thirds) stall when too many
// are. The budget forbids voluntary evictions of a healthy one, so a node drain waits for an operator to move
// authorities one at a time rather than taking several down at once.
// minAvailable: 1 rather than maxUnavailable: 0: the same for a single replica, but it does not depend on the
// controller's scale subresource. unhealthyPodEvictionPolicy AlwaysAllow: an authority that is not ready seals
// nothing, so a drain may evict it. Other workloads have no budget: clients retry, and they hold no identity.
import { K8sObject, KubeContext, selectorLabels, workloadMeta, WorkloadRef } from "./meta";

export function renderDisruptionBudget(ctx: KubeContext, w: WorkloadRef): K8sObject {
  if (!w.critical) throw new Error(`${w.name}: only critical workloads (sealers) get a disruption budget`);
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: workloadMeta(ctx, w),
    spec: {
      minAvailable: 1,
      selector: { matchLabels: selectorLabels(ctx, w.name) },
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    },
  };
}
