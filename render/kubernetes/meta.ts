// What every rendered Kubernetes object shares: the loose JSON type, the target context, names, DNS and labels.
import { ConsortiumSpec, KubernetesFleetSpec } from "../../settings/consortium";
import { RunSpec } from "../runSpec";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A Kubernetes object as plain JSON; its schema is checked offline in tests (kubernetes-models). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: Json | ObjectMeta | undefined;
}

/** The spec narrowed to the Kubernetes target, so renderers need not re-check it. */
export interface KubeContext {
  spec: ConsortiumSpec;
  fleet: KubernetesFleetSpec;
}

export function kubeContext(spec: ConsortiumSpec): KubeContext {
  if (spec.fleet.target !== "kubernetes") throw new Error(`kubernetes rendering: fleet target is ${spec.fleet.target}, not kubernetes`);
  return { spec, fleet: spec.fleet };
}

export type NodeRole = "authority" | "rpc";

/** What objects that do not depend on keys need of a node; known before any key exists (plain in the apply layer). */
export interface NodeRef {
  role: NodeRole;
  run: Pick<RunSpec, "name" | "ports">;
}

/** A node with its whole run spec. */
export interface KubeNode extends NodeRef {
  run: RunSpec;
}

/**
 * Whether a node serves JSON-RPC to the namespace: the members' RPC nodes only. An authority holds its signer key
 * (unlocked, for sealing) and serves no HTTP at all, whether or not the stack runs RPC nodes (`fleet.rpcNode: false`
 * leaves the stack without an RPC endpoint, never makes an authority one).
 */
export function servesClients(_ctx: KubeContext, node: NodeRef): boolean {
  return node.role === "rpc";
}

/** The node directory is the PVC's mount point in both the init container and the client container. */
export const NODE_VOLUME = "node";

/** The per-node Service is named after the node, so this is the address its peers dial. */
export function serviceDns(node: string, namespace: string): string {
  return `${node}.${namespace}.svc.cluster.local`;
}

export const configMapName = (node: string) => `${node}-files`;
export const secretName = (node: string) => `${node}-keys`;

/** Labels that pick one node's pod: stable, because a StatefulSet's selector is immutable. */
export function selectorLabels(ctx: KubeContext, node: string): Record<string, string> {
  return { "app.kubernetes.io/part-of": ctx.spec.name, "app.kubernetes.io/instance": node };
}

/** Every pod of the consortium (peers allowed on p2p). */
export function consortiumLabels(ctx: KubeContext): Record<string, string> {
  return { "app.kubernetes.io/part-of": ctx.spec.name };
}

export const MANAGED_BY = { "app.kubernetes.io/managed-by": "consortium-deployer" };

export function nodeLabels(ctx: KubeContext, node: NodeRef): Record<string, string> {
  return {
    "app.kubernetes.io/name": ctx.spec.client,
    ...selectorLabels(ctx, node.run.name),
    "app.kubernetes.io/component": node.role,
    ...MANAGED_BY,
  };
}

/** Metadata of a node's object: plain data only, so the apply layer can pass it without secret taint. */
export function nodeMeta(ctx: KubeContext, node: NodeRef, name: string = node.run.name): ObjectMeta {
  return { name, namespace: ctx.fleet.namespace, labels: nodeLabels(ctx, node) };
}
