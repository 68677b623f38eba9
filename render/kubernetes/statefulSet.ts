// One StatefulSet per workload (one replica: each is its own identity — a signer, a validator's agent). Its PVC holds
// the workload's directory; an init container fills it from the workload's ConfigMap and Secret, and the program
// runs there as an unprivileged user. A StatefulSet rather than a Deployment: it never starts a replacement pod
// before the old one is known to be gone (a Deployment's ReplicaSet replaces a pod on an unreachable node at once,
// while it may still run), so two pods never sign with one key; and its volume claim belongs to that identity.
import { createHash } from "node:crypto";
import { CONTAINER_NODE_DIR, refusal, Workload } from "../workload";
import { fileItems } from "./fileKeys";
import { FILES_MOUNT, KEYS_MOUNT, renderInitScript } from "./initScript";
import { configMapName, Json, K8sObject, KubeContext, NODE_VOLUME, ObjectMeta, secretName, selectorLabels, workloadLabels, workloadMeta, workloadRef, WorkloadRef } from "./meta";

/** The program's user: fixed, so files on the PVC keep their owner across image changes (fsGroup makes the PVC its group's). */
export const NODE_UID = 10001;

/** Annotation that changes when the workload's public files do, so pods restart on a new config (ConfigMaps alone don't). */
export const FILES_HASH_ANNOTATION = "consortium-deployer/files-sha256";

/**
 * When `pulumi up` takes a StatefulSet's change as rolled out: the Kubernetes provider's `pulumi.com/waitFor`, the new
 * pod made and ready. The provider's built-in StatefulSet check may read the status of before the change (it does not
 * compare `status.observedGeneration` with the generation; on the test cluster an image change was "complete" in
 * 0.2 s), and the fleet's nodes, chained to be replaced one at a time, would all restart at once. Its jsonpath
 * conditions wait for the controller to have seen the change first. With one replica the controller removes the old
 * pod before it makes the new one, so both counts at 1 means the new pod runs and is ready.
 */
export const ROLLOUT_AWAIT_ANNOTATIONS = { "pulumi.com/waitFor": JSON.stringify(["jsonpath={.status.updatedReplicas}=1", "jsonpath={.status.readyReplicas}=1"]) };

/** A workload's StatefulSet metadata: its name and labels, and how `pulumi up` awaits its rollouts. */
export function statefulSetMeta(ctx: KubeContext, ref: WorkloadRef): ObjectMeta {
  return { ...workloadMeta(ctx, ref), annotations: ROLLOUT_AWAIT_ANNOTATIONS };
}

function containerSecurity(w: Workload): Json {
  return {
    runAsNonRoot: true,
    runAsUser: NODE_UID,
    runAsGroup: NODE_UID,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: w.readOnlyRoot ?? false,
    capabilities: { drop: ["ALL"] },
  };
}

function resources(ctx: KubeContext, w: Workload): Json {
  const r = w.resources ?? ctx.resources;
  return { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { cpu: r.cpuLimit, memory: r.memoryLimit } };
}

/** Kubelet's check from the workload's health (render/workload.ts); a command gets time to connect over IPC. */
function probe(w: Workload): Json | undefined {
  const h = w.health;
  if (!h) return undefined;
  if ("http" in h) return { httpGet: { path: h.http.path, port: h.http.port } };
  if ("tcp" in h) return { tcpSocket: { port: h.tcp } };
  return { exec: { command: h.exec }, timeoutSeconds: 5 };
}

const sortedEntries = (r: Record<string, string>) => Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1));
const filesHash = (files: Record<string, string>) => createHash("sha256").update(JSON.stringify(sortedEntries(files))).digest("hex");
const envList = (env: Record<string, string>) => sortedEntries(env).map(([name, value]) => ({ name, value }));

/**
 * The PVC template's name: the workload's directory, or, with a reset key, one named after it — a new key (new
 * contracts for an agent) is a new claim template, which replaces the StatefulSet with an empty directory (the old
 * claim is retained). Chain nodes take no reset key here: a changed genesis runs init again on the existing
 * database, which the client refuses, visibly (initScript.ts); starting a new chain is deliberate: delete the PVC.
 */
export const claimName = (resetKey?: string) => (resetKey ? `${NODE_VOLUME}-${createHash("sha256").update(resetKey).digest("hex").slice(0, 12)}` : NODE_VOLUME);

/** Where the engine of a workload's task containers listens: the pod's loopback (render/workload.ts `tasks`). */
export const TASK_ENGINE_PORT = 2375;

/**
 * The Docker engine its task containers run in, beside the workload in its pod: root and privileged, which the pod's
 * Kata VM (the RuntimeClass) confines; it sees the workload's directory at the same path, as the workload names it.
 */
function taskEngine(ctx: KubeContext, w: Workload, dirMount: Json): Json {
  return {
    name: "task-engine",
    image: ctx.tasks!.engineImage,
    args: [`--host=tcp://127.0.0.1:${TASK_ENGINE_PORT}`],
    // No TLS on the pod's loopback.
    env: [{ name: "DOCKER_TLS_CERTDIR", value: "" }],
    resources: resources(ctx, w),
    securityContext: { privileged: true, runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: true },
    volumeMounts: [dirMount, { name: "task-engine", mountPath: "/var/lib/docker" }],
  };
}

export function renderStatefulSet(ctx: KubeContext, w: Workload, resetKey?: string): K8sObject {
  const refused = refusal(w, "kubernetes", ctx?.tasks ? ["imageEntrypoint", "dir", "secretsDir", "tasks"] : ["imageEntrypoint", "dir", "secretsDir"]);
  if (refused) throw new Error(refused);
  const ref = workloadRef(w);
  const claim = claimName(resetKey);
  const dir = w.dir ?? CONTAINER_NODE_DIR;
  const dirMount = { name: claim, mountPath: dir };
  // Secret files either copied into the directory by the init container, or mounted read-only where it asks.
  const keysMounts = w.secretsDir ? [{ name: "keys", mountPath: w.secretsDir, readOnly: true }] : [];
  const copied = { ...w, secretFiles: w.secretsDir ? {} : w.secretFiles };
  const prepares = Object.keys(copied.files).length + Object.keys(copied.secretFiles).length + w.init.length > 0;
  const env = { ...w.env, ...(w.tasks ? { DOCKER_HOST: `tcp://localhost:${TASK_ENGINE_PORT}` } : {}) };
  // A writable /tmp for programs and shells, also under a read-only root file system.
  const tmpMount = { name: "tmp", mountPath: "/tmp" };
  const check = probe(w) as Record<string, Json> | undefined;
  const reachable = w.ports.filter((p) => p.reach !== "self");
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: statefulSetMeta(ctx, ref),
    spec: {
      serviceName: w.name,
      replicas: 1,
      selector: { matchLabels: selectorLabels(ctx, w.name) },
      // Chain data, keys and an agent's outbox of signed transactions outlive the StatefulSet.
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      template: {
        metadata: { labels: workloadLabels(ctx, ref), annotations: { [FILES_HASH_ANNOTATION]: filesHash(w.files) } },
        spec: {
          // Workloads never talk to the Kubernetes API, and service environment variables are noise to them.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // Room for the program to flush its database on SIGTERM.
          terminationGracePeriodSeconds: 120,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NODE_UID,
            runAsGroup: NODE_UID,
            fsGroup: NODE_UID,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
          },
          // Workloads of one role on different machines when the cluster has them, so one machine failure stops one signer.
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: "kubernetes.io/hostname",
                    labelSelector: { matchLabels: { "app.kubernetes.io/part-of": ctx.partOf, "app.kubernetes.io/component": w.role } },
                  },
                },
              ],
            },
          },
          ...(w.tasks ? { runtimeClassName: ctx.tasks!.runtimeClassName } : {}),
          ...(prepares
            ? {
                initContainers: [
                  {
                    name: "prepare",
                    image: w.image,
                    command: ["sh", "-c", renderInitScript(copied)],
                    workingDir: dir,
                    resources: resources(ctx, w),
                    securityContext: containerSecurity(w),
                    volumeMounts: [dirMount, tmpMount, { name: "files", mountPath: FILES_MOUNT, readOnly: true }, { name: "keys", mountPath: KEYS_MOUNT, readOnly: true }],
                  },
                ],
              }
            : {}),
          containers: [
            {
              name: ref.app,
              image: w.image,
              // A packaged service runs its image's entrypoint in the image's working directory.
              ...(w.imageEntrypoint ? {} : { command: [w.command], args: w.args, workingDir: dir }),
              ...(Object.keys(env).length > 0 ? { env: envList(env) } : {}),
              // Only the ports others reach: an authority declares p2p alone (it serves no HTTP: its signer key is unlocked).
              ports: reachable.flatMap((p) => [
                { name: p.name, containerPort: p.port, protocol: "TCP" },
                ...(p.udp ? [{ name: `${p.name}-udp`, containerPort: p.port, protocol: "UDP" }] : []),
              ]),
              // A database can take minutes to open; liveness only starts once the workload answered once. The first
              // startup probe runs as the container starts, before the program listens: its period is what a pod
              // start waits beyond that (the kubelet probes readiness at once when it passes), and a rolling client
              // upgrade waits it once per sealer. 2 s × 300 keeps the ten minutes a database may need.
              ...(check
                ? {
                    startupProbe: { ...check, periodSeconds: 2, failureThreshold: 300 },
                    readinessProbe: { ...check, periodSeconds: 10, failureThreshold: 3 },
                    livenessProbe: { ...check, periodSeconds: 30, failureThreshold: 4 },
                  }
                : {}),
              resources: resources(ctx, w),
              securityContext: containerSecurity(w),
              volumeMounts: [dirMount, tmpMount, ...keysMounts],
            },
            ...(w.tasks ? [taskEngine(ctx, w, dirMount)] : []),
          ],
          volumes: [
            { name: "files", configMap: { name: configMapName(w.name), items: fileItems(Object.keys(w.files), w.name), defaultMode: 0o444 } },
            // Owner root, group fsGroup: readable by the init container's user only, which copies them as 0600.
            { name: "keys", secret: { secretName: secretName(w.name), items: fileItems(Object.keys(w.secretFiles), w.name), defaultMode: 0o440 } },
            { name: "tmp", emptyDir: {} },
            ...(w.tasks ? [{ name: "task-engine", emptyDir: {} }] : []),
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: claim, labels: selectorLabels(ctx, w.name) },
          spec: {
            accessModes: ["ReadWriteOnce"],
            ...(ctx.storageClass !== undefined ? { storageClassName: ctx.storageClass } : {}),
            resources: { requests: { storage: w.storage ?? ctx.storageSize } },
          },
        },
      ],
    },
  };
}
