// Ingress to a workload's pod, by the reach of each port (render/workload.ts): "stack" ports (p2p, TCP and UDP) only
// from the consortium's pods of its group (a fleet's nodes; not the bridge agents); "clients" ports (a member's RPC node's JSON-RPC, an agent's health) from any pod of
// the namespace; "self" ports from nowhere. An authority therefore admits p2p and nothing else (it serves no HTTP:
// its signer key is unlocked). Selectors without a namespaceSelector match this namespace only, so nothing outside it
// reaches the workloads. Egress stays open: nodes dial external members' enodes, agents their chains, and DNS.
// Kubelet probes come from the node's host, which common CNIs (Calico, Cilium) always admit; a CNI that does not
// would need the node CIDR added here (authorities' probes run inside the pod: statefulSet.ts). A CNI that enforces
// no network policy at all (flannel) leaves all of this open, which is why authorities also neither listen on nor
// declare nor publish an RPC port.
import { groupLabels, K8sObject, KubeContext, selectorLabels, workloadMeta, WorkloadRef } from "./meta";

export function renderNetworkPolicy(ctx: KubeContext, w: WorkloadRef): K8sObject {
  const rule = (reach: "stack" | "clients", from: Record<string, unknown>) => {
    const ports = w.ports.filter((p) => p.reach === reach).flatMap((p) => [{ protocol: "TCP", port: p.port }, ...(p.udp ? [{ protocol: "UDP", port: p.port }] : [])]);
    return ports.length > 0 ? [{ from: [from], ports }] : [];
  };
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: workloadMeta(ctx, w),
    spec: {
      podSelector: { matchLabels: selectorLabels(ctx, w.name) },
      policyTypes: ["Ingress"],
      ingress: [...rule("stack", { podSelector: { matchLabels: groupLabels(ctx, w.group) } }), ...rule("clients", { podSelector: {} })],
    },
  } as K8sObject;
}
