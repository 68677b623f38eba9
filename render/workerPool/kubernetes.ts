// A worker pool on Kubernetes: kata-deploy (pinned chart), the scheduler side as StatefulSet (MongoDB) and Deployments
// with Services, and the workers as one StatefulSet whose pods run in a Kata RuntimeClass beside a Docker-in-Docker
// sidecar: iexec-worker starts task containers in the sidecar's engine, inside the pod's VM.
// Objects are plain JSON (checked offline against the Kubernetes schemas in tests); Secrets carry no data here,
// the apply layer fills them from Pulumi secrets.
import type { Json, K8sObject } from "../kubernetes/meta";
import type { KubernetesTargetSpec, WorkerPoolSpec } from "../../settings/workerPool";
import { PoolChain, PoolService, renderScheduler, serviceName, WALLET_DIR, WALLET_FILE, WORKER_PASSWORD_FILE, workerEnv } from "./services";

export interface KubePool {
  pool: WorkerPoolSpec;
  target: KubernetesTargetSpec;
}

export const DIND_PORT = 2375;
const MANAGED_BY = { "app.kubernetes.io/managed-by": "consortium-deployer" };
const selector = (p: KubePool, component: string) => ({ "app.kubernetes.io/part-of": p.pool.name, "app.kubernetes.io/component": component });
const meta = (p: KubePool, name: string, component: string) => ({ name, namespace: p.target.namespace, labels: { ...selector(p, component), ...MANAGED_BY } });

export const coreUrl = (p: KubePool) => p.pool.coreUrl ?? `http://${serviceName(p.pool.name, "core")}.${p.target.namespace}.svc.cluster.local:${p.pool.corePort}`;
export const workerWalletSecret = (pool: string, ordinal: number) => `${pool}-worker-wallet-${ordinal}`;
export const schedulerWalletSecret = (pool: string) => `${pool}-scheduler-wallet`;
export const workersName = (pool: string) => `${pool}-worker`;

/** kata-deploy's Helm chart, pinned; it installs Kata on the nodes and creates the `kata-<shim>` RuntimeClasses. */
export function renderKataDeploy(p: KubePool) {
  const k = p.target.kataDeploy;
  return { chart: k.chart, version: k.version, namespace: k.namespace };
}

export function renderNamespace(p: KubePool): K8sObject {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name: p.target.namespace, labels: { ...MANAGED_BY } } };
}

/** A Secret's metadata and type; `stringData` (wallet.json + password file) is added from secrets by the apply layer. */
export function renderWalletSecret(p: KubePool, name: string): K8sObject {
  return { apiVersion: "v1", kind: "Secret", metadata: meta(p, name, "wallet"), type: "Opaque" };
}

function service(p: KubePool, s: { name: string; port: number }, component: string, headless = false): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(p, s.name, component),
    spec: { ...(headless ? { clusterIP: "None" } : {}), selector: selector(p, component), ports: [{ name: "http", port: s.port, targetPort: s.port, protocol: "TCP" }] },
  };
}

function schedulerWorkload(p: KubePool, s: PoolService): K8sObject {
  const container: Json = {
    name: s.role,
    image: s.image,
    env: Object.entries(s.env).map(([name, value]) => ({ name, value })),
    ports: [{ name: "http", containerPort: s.port, protocol: "TCP" }],
    volumeMounts: [
      ...(s.walletPasswordFile ? [{ name: "wallet", mountPath: WALLET_DIR, readOnly: true }] : []),
      ...(s.dataPath ? [{ name: "data", mountPath: s.dataPath }] : []),
    ],
  };
  const volumes: Json = s.walletPasswordFile
    ? [
        {
          name: "wallet",
          secret: {
            secretName: schedulerWalletSecret(p.pool.name),
            defaultMode: 0o400,
            items: [{ key: WALLET_FILE, path: WALLET_FILE }, { key: "password", path: s.walletPasswordFile }],
          },
        },
      ]
    : [];
  const template = { metadata: { labels: selector(p, s.role) }, spec: { containers: [container], volumes } };
  if (s.dataPath) {
    return {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta(p, s.name, s.role),
      spec: {
        serviceName: s.name,
        replicas: 1,
        selector: { matchLabels: selector(p, s.role) },
        template,
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } } }],
      },
    };
  }
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: meta(p, s.name, s.role), spec: { replicas: 1, selector: { matchLabels: selector(p, s.role) }, template } };
}

/** The scheduler side: MongoDB as a StatefulSet with a headless Service, the others as Deployments with Services. */
export function renderSchedulerObjects(p: KubePool, chain: PoolChain): K8sObject[] {
  return renderScheduler(p.pool, chain).flatMap((s) => [schedulerWorkload(p, s), service(p, s, s.role, s.dataPath !== undefined)]);
}

/**
 * The workers' StatefulSet. Each pod needs its own wallet, and a pod template cannot name a per-ordinal Secret: the
 * init container gets every worker's wallet Secret and copies only its ordinal's (from the pod name) into an
 * in-memory volume, which is all the worker container mounts. The task containers (in the sidecar) see none.
 */
export function renderWorkerStatefulSet(p: KubePool, chain: PoolChain): K8sObject {
  const name = workersName(p.pool.name);
  const baseDir = p.target.baseDir;
  const env = workerEnv({ name: "$(POD_NAME)", coreUrl: coreUrl(p), poolAddress: chain.poolAddress, baseDir });
  const walletVolume = {
    name: "all-wallets",
    projected: {
      defaultMode: 0o400,
      sources: Array.from({ length: p.target.replicas }, (_, i) => ({
        secret: { name: workerWalletSecret(p.pool.name, i), items: [{ key: WALLET_FILE, path: `${i}/${WALLET_FILE}` }, { key: "password", path: `${i}/${WORKER_PASSWORD_FILE}` }] },
      })),
    },
  };
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: meta(p, name, "worker"),
    spec: {
      serviceName: name,
      replicas: p.target.replicas,
      podManagementPolicy: "Parallel",
      selector: { matchLabels: selector(p, "worker") },
      template: {
        metadata: { labels: selector(p, "worker") },
        spec: {
          runtimeClassName: p.target.runtimeClassName,
          initContainers: [
            {
              name: "select-wallet",
              image: p.pool.images.worker,
              command: ["sh", "-c", `cp /all-wallets/"\${HOSTNAME##*-}"/* ${WALLET_DIR}/ && chmod 0400 ${WALLET_DIR}/*`],
              volumeMounts: [
                { name: "all-wallets", mountPath: "/all-wallets", readOnly: true },
                { name: "wallet", mountPath: WALLET_DIR },
              ],
            },
          ],
          containers: [
            {
              name: "worker",
              image: p.pool.images.worker,
              env: [
                { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                ...Object.entries(env).map(([n, value]) => ({ name: n, value })),
                // The sidecar's engine, on the pod's loopback only.
                { name: "DOCKER_HOST", value: `tcp://localhost:${DIND_PORT}` },
              ],
              volumeMounts: [
                { name: "wallet", mountPath: WALLET_DIR, readOnly: true },
                { name: "base", mountPath: baseDir },
              ],
            },
            {
              name: "dind",
              image: p.pool.images.dind,
              args: [`--host=tcp://127.0.0.1:${DIND_PORT}`],
              // No TLS on loopback; privileged is confined to the pod's Kata VM.
              env: [{ name: "DOCKER_TLS_CERTDIR", value: "" }],
              securityContext: { privileged: true },
              volumeMounts: [
                { name: "base", mountPath: baseDir },
                { name: "docker", mountPath: "/var/lib/docker" },
              ],
            },
          ],
          volumes: [walletVolume, { name: "wallet", emptyDir: { medium: "Memory" } }, { name: "base", emptyDir: {} }, { name: "docker", emptyDir: {} }],
        },
      },
    },
  };
}

/** Every object of a pool except the Secrets (rendered per wallet) and kata-deploy (a Helm release). */
export function renderKubernetesPool(p: KubePool, chain: PoolChain): K8sObject[] {
  return [renderNamespace(p), ...renderSchedulerObjects(p, chain), renderWorkerStatefulSet(p, chain), service(p, { name: workersName(p.pool.name), port: 13100 }, "worker", true)];
}
