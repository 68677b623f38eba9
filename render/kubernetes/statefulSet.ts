// One StatefulSet per node (one replica: each node is its own identity). Its PVC holds the node directory; an
// init container fills it from the node's ConfigMap and Secret, and the client runs there as an unprivileged user.
import { createHash } from "node:crypto";
import { Client } from "../../settings/clients";
import { CONTAINER_NODE_DIR } from "../containerFleet";
import { fileItems } from "./fileKeys";
import { gethAttach } from "../docker/healthcheck";
import { FILES_MOUNT, KEYS_MOUNT, renderInitScript } from "./initScript";
import { configMapName, consortiumLabels, Json, K8sObject, KubeContext, KubeNode, NODE_VOLUME, nodeLabels, nodeMeta, secretName, selectorLabels } from "./meta";

/** The client user: fixed, so files on the PVC keep their owner across image changes (fsGroup makes the PVC its group's). */
export const NODE_UID = 10001;

/** geth writes only under its data directory. The others write logs or plugins beside their binary unless told otherwise. */
const READ_ONLY_ROOT: Record<Client, boolean> = { geth: true, nethermind: false, openethereum: false, besu: false };

/** Annotation that changes when the node's public files do, so pods restart on a new config (ConfigMaps alone don't). */
export const FILES_HASH_ANNOTATION = "consortium-deployer/files-sha256";

function containerSecurity(ctx: KubeContext): Json {
  return {
    runAsNonRoot: true,
    runAsUser: NODE_UID,
    runAsGroup: NODE_UID,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: READ_ONLY_ROOT[ctx.spec.client],
    capabilities: { drop: ["ALL"] },
  };
}

function resources(ctx: KubeContext): Json {
  const r = ctx.fleet.resources;
  return { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { cpu: r.cpuLimit, memory: r.memoryLimit } };
}

/**
 * How kubelet checks a node. RPC nodes: a TCP connect to their RPC port. Authorities serve no RPC port (their signer
 * key is unlocked): geth's answer `geth attach` over its IPC socket inside the container (no port at all), the other
 * clients' are checked on their p2p port, which they open once they run.
 */
function probe(ctx: KubeContext, node: KubeNode): Json {
  if (node.role === "rpc") return { tcpSocket: { port: "rpc" } };
  if (ctx.spec.client === "geth" && node.run.ipcPath !== undefined) return { exec: { command: gethAttach(node.run) }, timeoutSeconds: 5 };
  return { tcpSocket: { port: "p2p" } };
}

const sortedEntries = (r: Record<string, string>) => Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1));
const filesHash = (files: Record<string, string>) => createHash("sha256").update(JSON.stringify(sortedEntries(files))).digest("hex");
const envList = (env: Record<string, string>) => sortedEntries(env).map(([name, value]) => ({ name, value }));

export function renderStatefulSet(ctx: KubeContext, node: KubeNode): K8sObject {
  const { run } = node;
  const image = ctx.fleet.images[ctx.spec.client];
  const { p2p, http } = run.ports;
  const nodeMount = { name: NODE_VOLUME, mountPath: CONTAINER_NODE_DIR };
  // A writable /tmp for clients and shells, also under a read-only root file system.
  const tmpMount = { name: "tmp", mountPath: "/tmp" };
  const check = probe(ctx, node) as Record<string, Json>;
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: nodeMeta(ctx, node),
    spec: {
      serviceName: run.name,
      replicas: 1,
      selector: { matchLabels: selectorLabels(ctx, run.name) },
      // Chain data and keys outlive the StatefulSet; a new chain is started by deleting the PVC on purpose.
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      template: {
        metadata: { labels: nodeLabels(ctx, node), annotations: { [FILES_HASH_ANNOTATION]: filesHash(run.files) } },
        spec: {
          // Nodes never talk to the Kubernetes API, and service environment variables are noise to a client.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // Room for the client to flush its database on SIGTERM.
          terminationGracePeriodSeconds: 120,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NODE_UID,
            runAsGroup: NODE_UID,
            fsGroup: NODE_UID,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
          },
          // Authorities on different machines when the cluster has them, so one machine failure stops one signer.
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: "kubernetes.io/hostname",
                    labelSelector: { matchLabels: { ...consortiumLabels(ctx), "app.kubernetes.io/component": "authority" } },
                  },
                },
              ],
            },
          },
          initContainers: [
            {
              name: "prepare",
              image,
              command: ["sh", "-c", renderInitScript(run)],
              workingDir: CONTAINER_NODE_DIR,
              resources: resources(ctx),
              securityContext: containerSecurity(ctx),
              volumeMounts: [
                nodeMount,
                tmpMount,
                { name: "files", mountPath: FILES_MOUNT, readOnly: true },
                { name: "keys", mountPath: KEYS_MOUNT, readOnly: true },
              ],
            },
          ],
          containers: [
            {
              name: ctx.spec.client,
              image,
              command: [run.command],
              args: run.args,
              workingDir: CONTAINER_NODE_DIR,
              ...(Object.keys(run.env).length > 0 ? { env: envList(run.env) } : {}),
              ports: [
                { name: "p2p", containerPort: p2p, protocol: "TCP" },
                { name: "p2p-udp", containerPort: p2p, protocol: "UDP" },
                // Only RPC nodes have an RPC port: an authority serves no HTTP (its signer key is unlocked).
                ...(node.role === "rpc" ? [{ name: "rpc", containerPort: http, protocol: "TCP" }] : []),
              ],
              // A database can take minutes to open; liveness only starts once the node answered once.
              startupProbe: { ...check, periodSeconds: 10, failureThreshold: 60 },
              readinessProbe: { ...check, periodSeconds: 10, failureThreshold: 3 },
              livenessProbe: { ...check, periodSeconds: 30, failureThreshold: 4 },
              resources: resources(ctx),
              securityContext: containerSecurity(ctx),
              volumeMounts: [nodeMount, tmpMount],
            },
          ],
          volumes: [
            { name: "files", configMap: { name: configMapName(run.name), items: fileItems(Object.keys(run.files), run.name), defaultMode: 0o444 } },
            // Owner root, group fsGroup: readable by the init container's user only, which copies them as 0600.
            { name: "keys", secret: { secretName: secretName(run.name), items: fileItems(Object.keys(run.secretFiles), run.name), defaultMode: 0o440 } },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: NODE_VOLUME, labels: selectorLabels(ctx, run.name) },
          spec: {
            accessModes: ["ReadWriteOnce"],
            ...(ctx.fleet.storageClass !== undefined ? { storageClassName: ctx.fleet.storageClass } : {}),
            resources: { requests: { storage: ctx.fleet.storageSize } },
          },
        },
      ],
    },
  };
}
