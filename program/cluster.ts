// The stack's own Kubernetes provider, when `consortium:kubeconfig` names its cluster (settings/kubernetes.ts): one
// explicit provider for every Kubernetes object of the stack — the fleet's target and the worker pools' — instead
// of the ambient ~/.kube/config of whoever runs `pulumi up`. Without a kubeconfig nothing changes: no provider is
// declared, and the objects keep the engine's default provider, as before.
//
// Replacement, checked against the sources (Pulumi CLI 3.259, pulumi-kubernetes 4.x `DiffConfig`):
//  - When a resource's provider reference changes (default → this explicit one), the engine asks the provider's
//    `DiffConfig` whether that means replacing the resource; explicit providers get the same check as default ones
//    since pulumi/pulumi#18509 (Pulumi 3.151, February 2025; before it, any move to an explicit provider replaced).
//  - pulumi-kubernetes plans a replacement only when it finds an active cluster in both the old and the new
//    configuration and the two differ (pulumi/pulumi-kubernetes#2771, 4.8.0). The default provider of an existing
//    stack has no kubeconfig input (it reads the ambient one, unless a stack file sets `kubernetes:kubeconfig`), so
//    none is found on the old side: adding a kubeconfig to an existing stack updates the objects' provider references in
//    place, and nothing in the cluster is replaced. (A kubeconfig, context or cluster input unknown at preview
//    would be planned as a replacement; these come from config, always known.) The same reasoning means the engine
//    cannot tell when that first kubeconfig names another cluster than the ambient one the stack ran on: its objects
//    would be updated where they do not exist. Give an existing stack the kubeconfig of the cluster it runs on.
//  - Once set, changing the kubeconfig or kubeContext so that the active cluster entry differs (another server, a
//    rotated CA in `certificate-authority-data`, a context on another cluster entry) is planned as a replacement of
//    every object: preview first. (The provider's `clusterIdentifier` input can pin that decision; not used here.)
// The settings refuse a kubeconfig unless something runs on Kubernetes, so no other stack declares the provider.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ConsortiumSpec } from "../settings/consortium";
import { NAMESPACE } from "./config";

/** The provider's resource name (its URN is part of every object's state: never rename it). */
export const CLUSTER_PROVIDER = "cluster";

/** The stack's Kubernetes provider from the secret kubeconfig, or undefined (the ambient kubeconfig) without one. */
export function declareCluster(spec: ConsortiumSpec): k8s.Provider | undefined {
  if (!spec.cluster) return undefined;
  // Read again here as a Pulumi secret: the spec only knows that a kubeconfig is given.
  const kubeconfig = new pulumi.Config(NAMESPACE).requireSecret("kubeconfig");
  return new k8s.Provider(CLUSTER_PROVIDER, {
    kubeconfig: pulumi.secret(kubeconfig),
    ...(spec.cluster.context !== undefined ? { context: spec.cluster.context } : {}),
  });
}

/**
 * Options for a component whose Kubernetes objects go to the stack's cluster: its children inherit the provider
 * (`providers`), and KubernetesTarget passes it on to the objects it places under other parents. None: ambient.
 */
export const onCluster = (provider: k8s.Provider | undefined): pulumi.ComponentResourceOptions => (provider ? { providers: [provider] } : {});
