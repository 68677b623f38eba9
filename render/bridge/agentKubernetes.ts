// A bridge agent on Kubernetes, in the fleet's namespace: a ConfigMap (agent.json), a Secret (keystore, password, RPC URLs),
// a StatefulSet of one replica with a PVC for the SQLite database, and a Service for health and metrics.
// A StatefulSet rather than a Deployment: it never starts a replacement pod before the old one is known to be gone
// (a Deployment's ReplicaSet replaces a pod on an unreachable node at once, while it may still run), so two agents
// never sign with one key; and its volume claim belongs to the agent's identity. The pod meets the namespace's
// "restricted" Pod Security profile, with a read-only root file system. Pure: no cluster, no Pulumi.
import { createHash } from "node:crypto";
import { fileItems } from "../kubernetes/fileKeys";
import { secretData } from "../kubernetes/files";
import { CONTAINER_RPC_PORT } from "../containerFleet";
import { K8sObject, KubeContext, MANAGED_BY, ObjectMeta, serviceDns } from "../kubernetes/meta";
import { rpcNodeName } from "../runSpec";
import { FILES_HASH_ANNOTATION } from "../kubernetes/statefulSet";
import { AGENT_FILES, AGENT_SECRET_FILES, AgentSecrets, agentSecretFiles } from "./agent";
import { AGENT_DATA_DIR, AGENT_DIR, AGENT_HEALTH_PORT, agentName, bridgeSpec, ContainerAgentParams, contractsDigest, renderContainerAgentConfig } from "./agentContainer";

/** The agent user of the image (templates/bridge-agent/Dockerfile). */
const AGENT_UID = 10001;
/** SQLite holds cursors, events and the outbox: small. */
export const AGENT_DB_SIZE = "1Gi";
const RESOURCES = { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } };

export const agentConfigMapName = (validator: string) => `${agentName(validator)}-files`;
export const agentSecretName = (validator: string) => `${agentName(validator)}-secrets`;
/** A validator's agent reads the home chain through its own member's RPC node, by its Service. */
export const memberRpcServiceUrl = (ctx: KubeContext, member: string) => `http://${serviceDns(rpcNodeName(member), ctx.fleet.namespace)}:${CONTAINER_RPC_PORT}`;

/** The agent's health and metrics, in the cluster. */
export const agentServiceDns = (ctx: KubeContext, validator: string) => `${agentName(validator)}.${ctx.fleet.namespace}.svc.cluster.local`;

/**
 * Labels of an agent's objects. `part-of` is the bridge, not the consortium: the nodes' network policies admit
 * the consortium's pods on p2p, which an agent has no use for.
 */
function selector(ctx: KubeContext, validator: string): Record<string, string> {
  return { "app.kubernetes.io/part-of": `${ctx.spec.name}-bridge`, "app.kubernetes.io/instance": agentName(validator) };
}

function labels(ctx: KubeContext, validator: string): Record<string, string> {
  return { "app.kubernetes.io/name": "bridge-agent", ...selector(ctx, validator), "app.kubernetes.io/component": "bridge-agent", ...MANAGED_BY };
}

export function agentMeta(ctx: KubeContext, validator: string, name: string = agentName(validator)): ObjectMeta {
  return { name, namespace: ctx.fleet.namespace, labels: labels(ctx, validator) };
}

/** Public files: the configuration. */
function agentFiles(p: ContainerAgentParams): Record<string, string> {
  return { [AGENT_FILES.config]: renderContainerAgentConfig(p) };
}

export function renderAgentConfigMap(ctx: KubeContext, validator: string, p: ContainerAgentParams): K8sObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: agentMeta(ctx, validator, agentConfigMapName(validator)), data: agentFiles(p) };
}

/** The Secret's `data` from the agent's secrets (the apply layer calls it inside a Pulumi secret). */
export const agentSecretData = (validator: string, secrets: AgentSecrets) =>
  secretData({ name: agentName(validator), secretFiles: AGENT_SECRET_FILES }, agentSecretFiles(secrets));

export function renderAgentSecret(ctx: KubeContext, validator: string, secrets: AgentSecrets): K8sObject {
  return { apiVersion: "v1", kind: "Secret", metadata: agentMeta(ctx, validator, agentSecretName(validator)), type: "Opaque", data: agentSecretData(validator, secrets) };
}

export function renderAgentService(ctx: KubeContext, validator: string): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: agentMeta(ctx, validator),
    spec: { type: "ClusterIP", selector: selector(ctx, validator), ports: [{ name: "health", port: AGENT_HEALTH_PORT, targetPort: "health", protocol: "TCP" }] },
  };
}

/**
 * The database's claim, named after the contracts: new contracts give a new claim template, which replaces the
 * StatefulSet with an empty database (the old claim is retained).
 */
export const agentClaimName = (p: ContainerAgentParams) => `db-${contractsDigest(p).slice(0, 12)}`;

export function renderAgentStatefulSet(ctx: KubeContext, validator: string, p: ContainerAgentParams): K8sObject {
  const files = agentFiles(p);
  const claim = agentClaimName(p);
  const health = { httpGet: { path: "/healthz", port: "health" } };
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: agentMeta(ctx, validator),
    spec: {
      serviceName: agentName(validator),
      replicas: 1,
      selector: { matchLabels: selector(ctx, validator) },
      // The database outlives the StatefulSet: it holds the outbox of signed, maybe unmined, transactions.
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      template: {
        // ConfigMap changes alone restart nothing; new contracts mean a new agent.json, hence a new pod.
        metadata: { labels: labels(ctx, validator), annotations: { [FILES_HASH_ANNOTATION]: createHash("sha256").update(JSON.stringify(files)).digest("hex") } },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // Room to finish the current step and close the database on SIGTERM.
          terminationGracePeriodSeconds: 60,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: AGENT_UID,
            runAsGroup: AGENT_UID,
            fsGroup: AGENT_UID,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: "agent",
              image: bridgeSpec(ctx.spec).agent.image,
              imagePullPolicy: "IfNotPresent",
              ports: [{ name: "health", containerPort: AGENT_HEALTH_PORT, protocol: "TCP" }],
              // /healthz is 200 while both chains answer and the cursors move (catching up counts). A restart is
              // safe (signed transactions wait in the database's outbox) and re-dials both RPC endpoints.
              startupProbe: { ...health, periodSeconds: 10, failureThreshold: 30 },
              readinessProbe: { ...health, periodSeconds: 10, failureThreshold: 3 },
              livenessProbe: { ...health, periodSeconds: 30, failureThreshold: 10 },
              resources: RESOURCES,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: AGENT_UID,
                runAsGroup: AGENT_UID,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [
                { name: "agent", mountPath: AGENT_DIR, readOnly: true },
                { name: claim, mountPath: AGENT_DATA_DIR },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            {
              name: "agent",
              // Owner root, group fsGroup, 0440: the agent reads its files, nobody else in the pod can.
              projected: {
                defaultMode: 0o440,
                sources: [
                  { configMap: { name: agentConfigMapName(validator), items: fileItems(Object.keys(files), validator) } },
                  { secret: { name: agentSecretName(validator), items: fileItems(Object.keys(AGENT_SECRET_FILES), validator) } },
                ],
              },
            },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: claim, labels: selector(ctx, validator) },
          spec: {
            accessModes: ["ReadWriteOnce"],
            ...(ctx.fleet.storageClass !== undefined ? { storageClassName: ctx.fleet.storageClass } : {}),
            resources: { requests: { storage: AGENT_DB_SIZE } },
          },
        },
      ],
    },
  };
}

/** Every object of one agent, in creation order (the apply layer declares them one by one, the Secret as a secret). */
export function renderKubernetesAgent(ctx: KubeContext, validator: string, p: ContainerAgentParams, secrets: AgentSecrets): K8sObject[] {
  return [renderAgentConfigMap(ctx, validator, p), renderAgentSecret(ctx, validator, secrets), renderAgentService(ctx, validator), renderAgentStatefulSet(ctx, validator, p)];
}
