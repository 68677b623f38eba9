// Declares the stack's iExec worker pools: each registered in PoCo's WorkerpoolRegistry by the contract deployer,
// owned by the pool's own scheduler key, with its scheduler side and workers on SSH hosts or Kubernetes.
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PocoAddresses } from "../components/poco/PocoStack";
import { WorkerPool } from "../components/workerPool/WorkerPool";
import { ConsortiumSpec } from "../settings/consortium";
import type { WorkerPoolSpec } from "../settings/workerPool";
import { onCluster } from "./cluster";
import { Deployer } from "./deployer";

export interface WorkerPoolsInputs {
  spec: ConsortiumSpec;
  /** Where this machine reaches the home chain: it sends the registrations there, as it deploys PoCo. */
  homeRpcUrl: pulumi.Output<string>;
  /** Where the stack's workloads reach it: a Kubernetes pool's default (the fleet's in-cluster URL). */
  stackRpcUrl: pulumi.Output<string>;
  /** The PoCo deployment's addresses (complete once PoCo's setup is). */
  poco: pulumi.Output<PocoAddresses>;
  /** Sends the registrations (createWorkerpool is permissionless: the scheduler keys need no gas). */
  deployer: Deployer;
  /** The stack's Kubernetes provider (program/cluster.ts); absent: the ambient kubeconfig. */
  cluster?: k8s.Provider;
}

/** What an operator needs to find a pool; never a key. */
export interface PoolOutput {
  address: string;
  owner: string;
  workers: string[];
  coreUrl: string;
  chainRpcUrl: string;
  where: { kind: "ssh"; schedulerHost: string; hosts: { name: string; address: string; workers: number }[] } | { kind: "kubernetes"; namespace: string; replicas: number };
}

const where = (pool: WorkerPoolSpec): PoolOutput["where"] =>
  pool.target.kind === "ssh"
    ? { kind: "ssh", schedulerHost: pool.target.schedulerHost, hosts: pool.target.hosts.map(({ name, address, workers }) => ({ name, address, workers })) }
    : { kind: "kubernetes", namespace: pool.target.namespace, replicas: pool.target.replicas };

export interface DeclaredWorkerPools {
  workerPools: pulumi.Output<Record<string, PoolOutput>>;
  /** The accounts the pools send transactions from (schedulers and workers), from their keys: the permissions admit them. */
  accounts: pulumi.Output<string[]>;
}

export function declareWorkerPools({ spec, homeRpcUrl, stackRpcUrl, poco, deployer, cluster }: WorkerPoolsInputs): DeclaredWorkerPools | undefined {
  const pools = spec.workerPools ?? [];
  if (pools.length === 0) return undefined;
  const outputs = pools.map((pool) => {
    // The scheduler side dials the chain itself: pool.chainRpcUrl, or the fleet's in-cluster URL for a Kubernetes
    // pool beside a Kubernetes fleet (settings/workerPool.ts, checkWorkerPoolsInStack, allows no other case).
    const chainRpcUrl = pool.chainRpcUrl ? pulumi.output(pool.chainRpcUrl) : stackRpcUrl;
    // A Kubernetes pool's objects (its target's namespace and workloads, kata-deploy's release) inherit the stack's
    // provider from the pool; an SSH pool has no Kubernetes object and gets none.
    const p = new WorkerPool(`pool-${pool.name}`, {
      spec: pool,
      chainId: spec.chainId,
      rpcUrl: chainRpcUrl,
      deployRpcUrl: homeRpcUrl,
      blockTimeSeconds: spec.blockPeriodSeconds,
      hubAddress: poco.apply((a) => a.hub),
      workerpoolRegistry: poco.apply((a) => a.workerpoolRegistry),
      deployerKey: deployer.privateKey,
      scryptN: spec.keys.scryptN,
    }, pool.target.kind === "kubernetes" ? onCluster(cluster) : {});
    const out: pulumi.Output<PoolOutput> = pulumi
      .all([p.address, p.owner, p.workers, p.coreUrl, chainRpcUrl])
      .apply(([address, owner, workers, coreUrl, url]) => ({ address, owner, workers, coreUrl, chainRpcUrl: url, where: where(pool) }));
    return { entry: [pool.name, out] as const, accounts: pulumi.all([p.owner, p.workers]).apply(([owner, workers]) => [owner, ...workers]) };
  });
  return {
    workerPools: pulumi.all(Object.fromEntries(outputs.map((o) => o.entry))),
    accounts: pulumi.all(outputs.map((o) => o.accounts)).apply((lists) => lists.flat()),
  };
}
