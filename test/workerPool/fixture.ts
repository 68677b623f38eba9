// Pool configurations shared by the worker-pool tests, written as an operator would (raw stack config).
import { parseWorkerPools, WorkerPoolSpec } from "../../settings/workerPool";
import { PoolChain } from "../../render/workerPool/services";
import type { TestHost } from "../support/sshHosts";
import { TEST_DOUBLE_IMAGES } from "../support/sshHosts";

export const CHAIN: PoolChain = {
  chainId: 31415,
  rpcUrl: "http://rpc.consortium.example:8545",
  hubAddress: "0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f",
  poolAddress: "0x0000000000000000000000000000000000000Abc",
  blockTimeSeconds: 5,
};

/** Every image replaced by a locally built test double (no registry here). */
export const TEST_DOUBLE_POOL_IMAGES = {
  worker: TEST_DOUBLE_IMAGES.worker,
  core: "consortium-test-double/iexec-core:stand-in",
  blockchainAdapter: "consortium-test-double/iexec-blockchain-adapter-api:stand-in",
  configServer: "consortium-test-double/iexec-config-server:stand-in",
  mongo: "consortium-test-double/mongo:stand-in",
};

export function parse(raw: unknown): WorkerPoolSpec[] {
  const problems: string[] = [];
  const pools = parseWorkerPools(raw, (f, w, x) => problems.push(`${f}: ${w}. Fix: ${x}`));
  if (!pools) throw new Error(problems.join("\n"));
  return pools;
}

/** A bare-metal pool on test hosts. Test-only settings, each said: Docker 20.10 (Debian's docker.io) accepted, `kata` = runc. */
export function sshPoolRaw(hosts: TestHost[], kataArtifact: string, extra: Record<string, unknown> = {}) {
  return {
    name: "metal",
    coreUrl: "http://127.0.0.1:13000",
    images: TEST_DOUBLE_POOL_IMAGES,
    target: {
      kind: "ssh",
      // Lowered for the test engine only: no Kata shim runs here, so Kata 4.x's Docker ≥ 26 requirement does not apply.
      minDockerVersion: "20.10",
      // Tests only: a runtime *named* kata that is runc, so task containers can start without Kata binaries.
      kataRuntime: { path: "runc" },
      hosts: hosts.map((h) => ({
        name: h.name,
        address: h.address,
        port: h.port,
        user: h.user,
        sshKeyPath: h.sshKeyPath,
        hostKey: h.hostKey,
        kataArtifact: { path: kataArtifact },
        restartCommand: h.restartCommand,
        baseDir: h.baseDir,
        secretsDir: h.secretsDir,
      })),
      ...extra,
    },
  };
}

export function kubePoolRaw(extra: Record<string, unknown> = {}) {
  return { name: "kube", resultProxy: true, target: { kind: "kubernetes", namespace: "pool-kube", replicas: 2, ...extra } };
}
