// What every rendered Kubernetes object shares: the loose JSON type, the target context, names, DNS and labels.
import { ConsortiumSpec, KubernetesFleetSpec } from "../../settings/consortium";
import { Workload, WorkloadPort } from "../workload";

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

/** What every object of one Kubernetes target shares: who owns them, their namespace, default sizes, its policies. */
export interface KubeContext {
  /** `app.kubernetes.io/part-of` of every object: the consortium, or a worker pool. */
  partOf: string;
  namespace: string;
  /** Sizing of a workload that brings none of its own. */
  resources: KubernetesFleetSpec["resources"];
  storageSize: string;
  storageClass?: string;
  /**
   * Kata task containers (workloads with `tasks`): the RuntimeClass their pods run in and the image of the Docker
   * engine beside them. Absent: the target refuses such workloads. Their engine is privileged (inside the pod's VM),
   * so their namespace enforces Pod Security "privileged"; every other namespace "restricted".
   */
  tasks?: { runtimeClassName: string; engineImage: string };
}

/** The consortium's own target (`fleet.target: kubernetes`): its namespace and sizes; no task containers there. */
export function kubeContext(spec: ConsortiumSpec): KubeContext {
  if (spec.fleet.target !== "kubernetes") throw new Error(`kubernetes rendering: fleet target is ${spec.fleet.target}, not kubernetes`);
  const { namespace, resources, storageSize, storageClass } = spec.fleet;
  return { partOf: spec.name, namespace, resources, storageSize, ...(storageClass !== undefined ? { storageClass } : {}) };
}

/**
 * What objects that do not depend on keys need of a workload (render/workload.ts); known before any key exists
 * (plain in the apply layer).
 */
export interface WorkloadRef {
  name: string;
  role: string;
  /** The program's name, for the `app.kubernetes.io/name` label (the client, `bridge-agent`, …). */
  app: string;
  /** Workloads that dial each other's "stack" ports (render/workload.ts). */
  group: string;
  ports: WorkloadPort[];
  critical?: boolean;
}

/** A workload's ref from the workload itself. */
export const workloadRef = (w: Workload): WorkloadRef => ({ name: w.name, role: w.role, app: w.app ?? w.role, group: w.group, ports: w.ports, ...(w.critical ? { critical: true } : {}) });

/** The workload's directory is the PVC's mount point in both the init container and the program's container. */
export const NODE_VOLUME = "node";

/** The per-workload Service is named after the workload, so this is the address its peers dial. */
export function serviceDns(node: string, namespace: string): string {
  return `${node}.${namespace}.svc.cluster.local`;
}

export const configMapName = (workload: string) => `${workload}-files`;
export const secretName = (workload: string) => `${workload}-keys`;

/** Labels that pick one workload's pod: stable, because a StatefulSet's selector is immutable. */
export function selectorLabels(ctx: KubeContext, node: string): Record<string, string> {
  return { "app.kubernetes.io/part-of": ctx.partOf, "app.kubernetes.io/instance": node };
}

/** Every pod of the consortium. */
export function consortiumLabels(ctx: KubeContext): Record<string, string> {
  return { "app.kubernetes.io/part-of": ctx.partOf };
}

/** The label of a workload's group: its peers on "stack" ports (a fleet's nodes on p2p) carry the same. */
export const GROUP_LABEL = "consortium-deployer/group";

/** The pods a workload's "stack" ports admit: the consortium's of its group. */
export function groupLabels(ctx: KubeContext, group: string): Record<string, string> {
  return { ...consortiumLabels(ctx), [GROUP_LABEL]: group };
}

export const MANAGED_BY = { "app.kubernetes.io/managed-by": "consortium-deployer" };

export function workloadLabels(ctx: KubeContext, w: WorkloadRef): Record<string, string> {
  return {
    "app.kubernetes.io/name": w.app,
    ...selectorLabels(ctx, w.name),
    "app.kubernetes.io/component": w.role,
    [GROUP_LABEL]: w.group,
    ...MANAGED_BY,
  };
}

/** Metadata of a workload's object: plain data only, so the apply layer can pass it without secret taint. */
export function workloadMeta(ctx: KubeContext, w: WorkloadRef, name: string = w.name): ObjectMeta {
  return { name, namespace: ctx.namespace, labels: workloadLabels(ctx, w) };
}
