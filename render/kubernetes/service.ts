// One Service per workload; its DNS name (<workload>.<namespace>.svc.cluster.local) is the address peers and clients
// dial. Not headless: geth 1.13 resolves static peers' names when it parses its config and exits on a name that does
// not resolve, and a headless name resolves only while the peer's pod exists. A ClusterIP name resolves as long as
// the Service exists and its address never changes, so a node restarts fine while a peer is being rescheduled.
// publishNotReadyAddresses: peers connect before the pod reports ready. Only a workload's "stack" and "clients" ports
// are on its Service (an authority's: p2p only; its signer key is unlocked and it serves no HTTP).
import { K8sObject, KubeContext, selectorLabels, workloadMeta, WorkloadRef } from "./meta";

/** The ports others may reach, TCP (and UDP where the workload opens it too). */
export function servicePorts(w: WorkloadRef): { name: string; port: number; protocol: "TCP" | "UDP" }[] {
  return w.ports
    .filter((p) => p.reach !== "self")
    .flatMap((p) => [{ name: p.name, port: p.port, protocol: "TCP" as const }, ...(p.udp ? [{ name: `${p.name}-udp`, port: p.port, protocol: "UDP" as const }] : [])]);
}

export function renderService(ctx: KubeContext, w: WorkloadRef): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: workloadMeta(ctx, w),
    spec: {
      type: "ClusterIP",
      publishNotReadyAddresses: true,
      selector: selectorLabels(ctx, w.name),
      ports: servicePorts(w).map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: p.protocol })),
    },
  };
}
