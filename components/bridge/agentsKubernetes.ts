// Bridge agents on Kubernetes, in the fleet's namespace: per agent a ConfigMap, a Secret (retained on delete, like
// the fleet's keys), a Service and a one-replica StatefulSet (render/bridge/agentKubernetes.ts explains each).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AGENT_HEALTH_PORT } from "../../render/bridge/agentContainer";
import {
  agentConfigMapName,
  agentMeta,
  agentSecretData,
  agentSecretName,
  agentServiceDns,
  memberRpcServiceUrl,
  renderAgentConfigMap,
  renderAgentService,
  renderAgentStatefulSet,
} from "../../render/bridge/agentKubernetes";
import { K8sObject, kubeContext } from "../../render/kubernetes/meta";
import { DNS_LABEL } from "../../settings/fields";
import type { AgentScope, AgentUnit, KubernetesAgents } from "./agents";

// Rendered objects are plain JSON, checked against the Kubernetes schemas in tests; the SDK's arg types are not restated.
const sdkArgs = <T>(o: object) => o as unknown as T;
const field = <T>(o: pulumi.Output<K8sObject>, name: string) => o.apply((x) => x[name] as unknown as T);

export function validateKubernetesAgents(agents: KubernetesAgents, validators: string[]): void {
  kubeContext(agents.consortium);
  // Names become object names: bridge-agent-<validator>[-files|-password].
  for (const v of validators) if (!DNS_LABEL.test(v)) throw new Error(`validator name "${v}" is not a DNS label (1-32 lower-case letters, digits and '-')`);
}

export function kubernetesAgents(agents: KubernetesAgents, units: AgentUnit[], scope: AgentScope): pulumi.Output<string>[] {
  const ctx = kubeContext(agents.consortium);
  return units.map(({ validator: v, params, secrets }) => {
    const res = (suffix: string) => `${scope.name}-agent-${v.name}-${suffix}`;
    const opts = { parent: scope.parent, dependsOn: scope.dependsOn };
    const p = params;
    const configMap = new k8s.core.v1.ConfigMap(
      res("files"),
      { metadata: agentMeta(ctx, v.name, agentConfigMapName(v.name)), data: field<Record<string, string>>(p.apply((x) => renderAgentConfigMap(ctx, v.name, x)), "data") },
      opts,
    );
    const secret = new k8s.core.v1.Secret(
      res("secrets"),
      {
        metadata: agentMeta(ctx, v.name, agentSecretName(v.name)),
        type: "Opaque",
        data: secrets(memberRpcServiceUrl(ctx, v.member)).apply((s) => agentSecretData(v.name, s)),
      },
      // The keystore and its password: `pulumi destroy` leaves them in the cluster, like the fleet's keys.
      { ...opts, retainOnDelete: true },
    );
    new k8s.core.v1.Service(res("service"), sdkArgs(renderAgentService(ctx, v.name)), opts);
    new k8s.apps.v1.StatefulSet(
      res("agent"),
      { metadata: agentMeta(ctx, v.name), spec: field<k8s.types.input.apps.v1.StatefulSetSpec>(p.apply((x) => renderAgentStatefulSet(ctx, v.name, x)), "spec") },
      { ...opts, dependsOn: [...scope.dependsOn, configMap, secret] },
    );
    return pulumi.output(`http://${agentServiceDns(ctx, v.name)}:${AGENT_HEALTH_PORT}/healthz`);
  });
}
