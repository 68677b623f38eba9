// Ingress to a node's pod: p2p (TCP and UDP) only from the consortium's own pods; JSON-RPC from any pod of the
// namespace (bridge agents, the PoCo stack) but only on the members' RPC nodes (meta.ts `servesClients`): an
// authority admits p2p and nothing else (it serves no HTTP: its signer key is unlocked). Selectors without a
// namespaceSelector match this namespace only, so nothing outside it reaches the nodes. Egress stays open: nodes
// dial external members' enodes and DNS. Kubelet probes come from the node's host, which common CNIs (Calico,
// Cilium) always admit; a CNI that does not would need the node CIDR added here (authorities' probes run inside the
// pod: render/kubernetes/statefulSet.ts). A CNI that enforces no network policy at all (flannel) leaves all of this
// open, which is why authorities also neither listen on nor declare nor publish an RPC port.
import { consortiumLabels, K8sObject, KubeContext, NodeRef, nodeMeta, selectorLabels, servesClients } from "./meta";

export function renderNetworkPolicy(ctx: KubeContext, node: NodeRef): K8sObject {
  const { p2p, http } = node.run.ports;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: nodeMeta(ctx, node),
    spec: {
      podSelector: { matchLabels: selectorLabels(ctx, node.run.name) },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: consortiumLabels(ctx) } }],
          ports: [
            { protocol: "TCP", port: p2p },
            { protocol: "UDP", port: p2p },
          ],
        },
        ...(servesClients(ctx, node) ? [{ from: [{ podSelector: {} }], ports: [{ protocol: "TCP", port: http }] }] : []),
      ],
    },
  };
}
