// One Service per node; its DNS name (<node>.<namespace>.svc.cluster.local) is the address peers dial
// (render/containerFleet.ts `advertise`). Not headless: geth 1.13 resolves static peers' names when it parses its
// config and exits on a name that does not resolve, and a headless name resolves only while the peer's pod exists.
// A ClusterIP name resolves as long as the Service exists and its address never changes, so a node restarts fine
// while a peer is being rescheduled. publishNotReadyAddresses: peers connect before the pod reports ready.
// Only the members' RPC nodes publish their RPC port (meta.ts `servesClients`); an authority's Service has p2p only.
import { K8sObject, KubeContext, NodeRef, nodeMeta, selectorLabels, servesClients } from "./meta";

export function renderService(ctx: KubeContext, node: NodeRef): K8sObject {
  const { p2p, http } = node.run.ports;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: nodeMeta(ctx, node),
    spec: {
      type: "ClusterIP",
      publishNotReadyAddresses: true,
      selector: selectorLabels(ctx, node.run.name),
      ports: [
        { name: "p2p", port: p2p, targetPort: p2p, protocol: "TCP" },
        { name: "p2p-udp", port: p2p, targetPort: p2p, protocol: "UDP" },
        ...(servesClients(ctx, node) ? [{ name: "rpc", port: http, targetPort: http, protocol: "TCP" }] : []),
      ],
    },
  };
}
