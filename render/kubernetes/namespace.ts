// The consortium's namespace. Pod Security admission enforces the "restricted" profile: every pod rendered here
// runs as non-root without privileges, and nothing else may be started in the namespace with more.
import { consortiumLabels, K8sObject, KubeContext, MANAGED_BY } from "./meta";

export function renderNamespace(ctx: KubeContext): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: ctx.fleet.namespace,
      labels: {
        ...consortiumLabels(ctx),
        ...MANAGED_BY,
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
      },
    },
  };
}
