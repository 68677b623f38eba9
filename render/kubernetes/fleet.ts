// Workloads as Kubernetes objects, all at once: the namespace, then per workload its files, keys, StatefulSet,
// Service, network policy and (critical ones) disruption budget — what components/targets/kubernetes declares one by
// one, so that what holds no secret stays plain. The export (lib/export) writes these.
import { Workload } from "../workload";
import { renderDisruptionBudget } from "./disruptionBudget";
import { renderConfigMap, renderSecret } from "./files";
import { K8sObject, KubeContext, workloadRef } from "./meta";
import { renderNamespace } from "./namespace";
import { renderNetworkPolicy } from "./networkPolicy";
import { renderService, servicePorts } from "./service";
import { renderStatefulSet } from "./statefulSet";

/** Objects of one workload; `secretValues` are its resolved secret files (render/secrets.ts). */
export function renderKubernetesWorkload(ctx: KubeContext, w: Workload, secretValues: Record<string, string>, resetKey?: string): K8sObject[] {
  const ref = workloadRef(w);
  return [
    renderConfigMap(ctx, w),
    renderSecret(ctx, ref, w, secretValues),
    renderStatefulSet(ctx, w, resetKey),
    // Kubernetes refuses a Service without ports: a workload that listens on none (a pool's worker) has no Service.
    ...(servicePorts(ref).length > 0 ? [renderService(ctx, ref)] : []),
    renderNetworkPolicy(ctx, ref),
    ...(w.critical ? [renderDisruptionBudget(ctx, ref)] : []),
  ];
}

/** Every object of the workloads in creation order, namespace first. */
export function renderKubernetesWorkloads(ctx: KubeContext, items: { workload: Workload; secretValues: Record<string, string> }[]): K8sObject[] {
  const names = items.map((n) => n.workload.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`kubernetes: two workloads are named ${dup}`);
  return [renderNamespace(ctx), ...items.flatMap(({ workload, secretValues }) => renderKubernetesWorkload(ctx, workload, secretValues))];
}
