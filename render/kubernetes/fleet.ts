// A whole consortium fleet as Kubernetes objects: the namespace, then per node its files, keys, workload,
// Service, network policy and (authorities) disruption budget. The apply layer creates the same objects one by
// one (components/fleet/kubernetes), so that what holds no secret stays plain.
import { ContainerNode } from "../containerFleet";
import { renderDisruptionBudget } from "./disruptionBudget";
import { renderConfigMap, renderSecret } from "./files";
import { K8sObject, KubeContext, KubeNode, serviceDns } from "./meta";
import { renderNamespace } from "./namespace";
import { renderNetworkPolicy } from "./networkPolicy";
import { renderService } from "./service";
import { renderStatefulSet } from "./statefulSet";

/** `advertise` for renderContainerFleet: peers dial a node at its Service's DNS name. */
export const kubernetesAdvertise = (ctx: KubeContext) => (node: Pick<ContainerNode, "name">) => serviceDns(node.name, ctx.fleet.namespace);

/**
 * Every object of the fleet in creation order, namespace first. The chain file travels in the run specs' files;
 * `secretValues` are each node's resolved secret files (render/secrets.ts).
 */
export function renderKubernetesFleet(ctx: KubeContext, nodes: { node: KubeNode; secretValues: Record<string, string> }[]): K8sObject[] {
  const names = nodes.map((n) => n.node.run.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`kubernetes fleet: two nodes are named ${dup}`);
  return [
    renderNamespace(ctx),
    ...nodes.flatMap(({ node, secretValues }) => [
      renderConfigMap(ctx, node),
      renderSecret(ctx, node, secretValues),
      renderStatefulSet(ctx, node),
      renderService(ctx, node),
      renderNetworkPolicy(ctx, node),
      ...(node.role === "authority" ? [renderDisruptionBudget(ctx, node)] : []),
    ]),
  ];
}
