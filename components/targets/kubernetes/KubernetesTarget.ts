// The Kubernetes target: workloads in the consortium's namespace (`fleet.namespace`, Pod Security "restricted"). Per
// workload a ConfigMap and a Secret with its files (the Secret retained on delete: keys outlive a teardown), a
// one-replica StatefulSet with its PVC, a Service others dial, a NetworkPolicy by its ports' reach and, for critical
// workloads (sealers), a PodDisruptionBudget — render/kubernetes/ explains each. Pass a Kubernetes provider in
// `opts.provider` / `opts.providers` (or give the target a parent that has one: program/cluster.ts) to target a
// cluster other than the ambient kubeconfig's: every object the target makes uses it, also those placed under
// another parent (a Fleet, a TokenBridge, a WorkerPool), which would not inherit it from the target.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { renderDisruptionBudget } from "../../../render/kubernetes/disruptionBudget";
import { renderConfigMap, secretData } from "../../../render/kubernetes/files";
import { configMapName, K8sObject, KubeContext, kubeContext, secretName, workloadMeta, workloadRef } from "../../../render/kubernetes/meta";
import { renderNamespace } from "../../../render/kubernetes/namespace";
import { renderNetworkPolicy } from "../../../render/kubernetes/networkPolicy";
import { renderService } from "../../../render/kubernetes/service";
import { kubernetesSites, serviceUrl } from "../../../render/kubernetes/sites";
import { renderStatefulSet, statefulSetMeta } from "../../../render/kubernetes/statefulSet";
import { Site, SiteRequest, SitesOptions } from "../../../render/site";
import { workloadPort } from "../../../render/workload";
import { ConsortiumSpec } from "../../../settings/consortium";
import { DNS_LABEL } from "../../../settings/fields";
import { currentNames, earlierNames, PlaceArgs, Placed, Target } from "../Target";

export type KubernetesTargetArgs = (
  | {
      /** Validated spec with `fleet.target: kubernetes` (namespace, sizes, storage class): the consortium's target. */
      spec: ConsortiumSpec;
    }
  | {
      /** Another namespace's context (a worker pool's: render/workerPool/kubernetes.ts). */
      context: KubeContext;
    }
) & {
  /** The parent its namespace had before (earlier versions' KubernetesFleet or WorkerPool): kept by an alias. */
  legacyParent?: pulumi.Input<string> | pulumi.Resource;
};

// Rendered objects are plain JSON, checked against the Kubernetes schemas in tests; the SDK's arg types are not restated.
const field = <T>(o: pulumi.Output<K8sObject>, name: string) => o.apply((x) => x[name] as unknown as T);

export class KubernetesTarget extends pulumi.ComponentResource implements Target {
  readonly kind = "kubernetes" as const;
  readonly restartsInTurn = false;
  readonly runsImages = true;
  readonly namedBefore = currentNames;
  readonly namespace: pulumi.Output<string>;
  private readonly ctx: KubeContext;
  private readonly namespaceResource: k8s.core.v1.Namespace;
  private readonly names = new Set<string>();
  /** The Kubernetes provider given to the target or inherited from its parent; undefined: the default (ambient) one. */
  private readonly provider: pulumi.ProviderResource | undefined;

  constructor(name: string, args: KubernetesTargetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("consortium:target:KubernetesTarget", name, {}, opts);
    this.provider = this.getProvider("kubernetes:core/v1:Namespace");
    try {
      this.ctx = "context" in args ? args.context : kubeContext(args.spec);
    } catch (e) {
      throw new pulumi.ResourceError(`KubernetesTarget ${name}: ${(e as Error).message}`, this);
    }
    const ns = renderNamespace(this.ctx);
    this.namespaceResource = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: ns.metadata }, {
      parent: this,
      ...(args.legacyParent ? { aliases: [{ parent: args.legacyParent }] } : {}),
    });
    this.namespace = this.namespaceResource.metadata.name;
    this.registerOutputs({ namespace: this.namespace });
  }

  sites(_group: string, requests: SiteRequest[], _options: SitesOptions): pulumi.Output<Site[]> {
    // Names become object names and DNS labels.
    for (const r of requests) {
      if (!DNS_LABEL.test(r.name)) throw new Error(`workload name "${r.name}" is not a DNS label (1-32 lower-case letters, digits and '-')`);
      if (this.names.has(r.name)) throw new Error(`two workloads are named "${r.name}"`);
      this.names.add(r.name);
    }
    return pulumi.output(kubernetesSites(this.ctx, requests));
  }

  place(a: PlaceArgs): Placed {
    const { ctx } = this;
    const w = a.workload;
    const ref = w.apply(workloadRef);
    const meta = (name?: string) => ref.apply((r) => workloadMeta(ctx, r, name));
    const res = (suffix: string) => `${a.resourceName}-${suffix}`;
    const was = (suffix: string) => earlierNames(a, `-${suffix}`);
    // Placed objects are children of the caller's component, not of the target: they get the target's provider here.
    const child = { parent: a.parent, dependsOn: [this.namespaceResource, ...(a.dependsOn ?? [])], ...(this.provider ? { provider: this.provider } : {}) };
    const configMap = new k8s.core.v1.ConfigMap(
      res("files"),
      { metadata: meta(configMapName(a.shape.name)), data: field<Record<string, string>>(w.apply((x) => renderConfigMap(ctx, x)), "data") },
      { ...child, ...was("files") },
    );
    const secret = new k8s.core.v1.Secret(
      res("keys"),
      { metadata: meta(secretName(a.shape.name)), type: "Opaque", data: pulumi.secret(pulumi.all([w, pulumi.output(a.secretValues)]).apply(([x, values]) => secretData(x, values))) },
      // Keys outlive the stack's resources: `pulumi destroy` leaves the Secret in the cluster.
      { ...child, retainOnDelete: true, ...was("keys") },
    );
    const resetKey = a.keepDataOnReset ? pulumi.output(undefined) : pulumi.output(a.resetKey);
    const statefulSet = pulumi.all([w, resetKey]).apply(([x, reset]) => renderStatefulSet(ctx, x, reset));
    const workload = new k8s.apps.v1.StatefulSet(
      res("node"),
      { metadata: ref.apply((r) => statefulSetMeta(ctx, r)), spec: field<k8s.types.input.apps.v1.StatefulSetSpec>(statefulSet, "spec") },
      { ...child, dependsOn: [...child.dependsOn, configMap, secret], ...was("node") },
    );
    const service = ref.apply((r) => renderService(ctx, r));
    // A workload that listens on no port (a worker) has no Service: Kubernetes refuses one without ports.
    // Services do not wait for the workloads placed before this one (`a.dependsOn`): peers name each other by their
    // Service's DNS name, which geth resolves when it reads its static nodes and exits when it cannot, so the first
    // sealer could never start if the next one's Service came only after it runs (seen on a real cluster).
    if (a.shape.listens !== false) {
      const serviceOpts = { ...child, dependsOn: [this.namespaceResource] };
      new k8s.core.v1.Service(res("service"), { metadata: meta(), spec: field<k8s.types.input.core.v1.ServiceSpec>(service, "spec") }, { ...serviceOpts, ...was("service") });
    }
    const policy = ref.apply((r) => renderNetworkPolicy(ctx, r));
    new k8s.networking.v1.NetworkPolicy(
      res("network-policy"),
      { metadata: meta(), spec: field<k8s.types.input.networking.v1.NetworkPolicySpec>(policy, "spec") },
      { ...child, ...was("network-policy") },
    );
    if (a.shape.critical) {
      const budget = ref.apply((r) => renderDisruptionBudget(ctx, r));
      new k8s.policy.v1.PodDisruptionBudget(
        res("disruption-budget"),
        { metadata: meta(), spec: field<k8s.types.input.policy.v1.PodDisruptionBudgetSpec>(budget, "spec") },
        { ...child, ...was("disruption-budget") },
      );
    }
    // In the cluster: the deployer and the stack's workloads both reach it by its Service.
    const url = (port: string, path = "") => w.apply((x) => serviceUrl(ctx, x.name, workloadPort(x, port).port, path));
    return { resource: workload, url, stackUrl: url };
  }
}
