// A target's namespace. Pod Security admission enforces the "restricted" profile: every pod rendered here runs as
// non-root without privileges, and nothing else may be started in the namespace with more — but for a worker pool's
// namespace, whose task engines are privileged inside their Kata VMs ("privileged").
import { consortiumLabels, K8sObject, KubeContext, MANAGED_BY } from "./meta";

export function renderNamespace(ctx: KubeContext): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: ctx.namespace,
      labels: {
        ...consortiumLabels(ctx),
        ...MANAGED_BY,
        // A task engine is privileged (inside its pod's Kata VM): only a namespace for task containers allows it.
        "pod-security.kubernetes.io/enforce": ctx.tasks ? "privileged" : "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
      },
    },
  };
}
