// A PodDisruptionBudget per authority. Each authority is one signer identity in one pod: evicting it takes a
// signer offline, and Clique (more than half must sign) or QBFT (more than two thirds) stall when too many are.
// The budget forbids voluntary evictions of a healthy authority, so a node drain waits for an operator to move
// authorities one at a time rather than taking several down at once.
// minAvailable: 1 rather than maxUnavailable: 0: the same for a single replica, but it does not depend on the
// controller's scale subresource. unhealthyPodEvictionPolicy AlwaysAllow: an authority that is not ready seals
// nothing, so a drain may evict it. The RPC node has no budget: clients retry and it holds no identity.
import { K8sObject, KubeContext, NodeRef, nodeMeta, selectorLabels } from "./meta";

export function renderDisruptionBudget(ctx: KubeContext, node: NodeRef): K8sObject {
  if (node.role !== "authority") throw new Error(`${node.run.name}: only authorities get a disruption budget`);
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: nodeMeta(ctx, node),
    spec: {
      minAvailable: 1,
      selector: { matchLabels: selectorLabels(ctx, node.run.name) },
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    },
  };
}
