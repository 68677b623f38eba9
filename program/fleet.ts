// Declares the stack's target (components/targets) and the fleet on it: local processes, Docker hosts or Kubernetes.
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Fleet, FleetAuthority } from "../components/fleet/Fleet";
import { declareTarget } from "../components/targets/declareTarget";
import { Target } from "../components/targets/Target";
import { ChainFile } from "../render/runSpec";
import { defaultWorkDir, storedPath } from "../lib/project";
import { installedGeth } from "../lib/toolchain/installedGeth";
import { cacheRoot } from "../lib/toolchain/versions";
import { ConsortiumSpec } from "../settings/consortium";
import type { PermissionsSpec } from "../settings/permissions";
import { onCluster } from "./cluster";

export interface FleetInputs {
  spec: ConsortiumSpec;
  authorities: FleetAuthority[];
  chain: pulumi.Output<ChainFile>;
  externalPeers: string[];
  /** The stack's policy, with its own accounts. */
  permissions?: pulumi.Output<PermissionsSpec>;
  /** The stack's Kubernetes provider (program/cluster.ts); absent: the ambient kubeconfig. */
  cluster?: k8s.Provider;
}

export interface DeclaredFleet {
  /**
   * The stack's JSON-RPC URL: the RPC node of the first authority's member (the first authority this stack runs).
   * Absent with `fleet.rpcNode: false`: no node holding a signer key serves HTTP, so the stack has none.
   */
  rpcUrl?: pulumi.Output<string>;
  /**
   * Each member's own RPC node's URL, by member (members with a non-retired authority this stack runs): loopback URLs
   * on the local target, the published port as seen from the member's Docker host, the in-cluster Service on
   * Kubernetes. Empty without RPC nodes.
   */
  memberRpcUrls: pulumi.Output<Record<string, string>>;
  /** The same as the stack's other workloads reach them: a member's bridge agent reads the home chain there. */
  memberStackRpcUrls: pulumi.Output<Record<string, string>>;
  enodes: pulumi.Output<string[]>;
  nodes: Fleet["nodes"];
  /** Where local node directories live (local target only): relative to the project folder unless configured absolute. */
  workDir?: string;
  /** Where the stack's workloads run: the bridge agents go there too. */
  target: Target;
  /** The fleet component: what depends on a running chain (contracts, agents) waits for it. */
  component: pulumi.Resource;
}

/** The local target's directory: relative to the project folder (the state then names no clone) unless configured absolute. */
export function localWorkDir(spec: ConsortiumSpec): string | undefined {
  return spec.fleet.target === "local" ? storedPath(spec.fleet.workDir ?? defaultWorkDir(pulumi.getStack())) : undefined;
}

export async function declareFleet({ spec, authorities, chain, externalPeers, permissions, cluster }: FleetInputs): Promise<DeclaredFleet> {
  const workDir = localWorkDir(spec);
  // Named "fleet": the target holds what the fleet of earlier versions held (its port block, network, namespace).
  // On Kubernetes, every object it places (the nodes, and the bridge's agents, gateways and monitor) uses the
  // stack's provider when a kubeconfig is configured; the other targets make no Kubernetes object and get none.
  const kubernetes = spec.fleet.target === "kubernetes" ? onCluster(cluster) : {};
  const target = declareTarget("fleet", spec, () => ({ local: { workDir: workDir!, portRegistry: cacheRoot(), owner: `${pulumi.getProject()}/${pulumi.getStack()}` } }), kubernetes);
  // Local processes run this machine's geth; containers the client binary of their image.
  const clientCommand = spec.fleet.target === "local" ? await installedGeth() : undefined;
  // Besu's nodes enforce the transact list themselves (render/clients/besuPermissions.ts); no other client's nodes
  // read the policy (geth has no permissioning, AuRa's is in the chain file), so their run specs never wait for it.
  const nodePolicy = spec.client === "besu" && permissions ? { permissions } : {};
  const fleet = new Fleet("fleet", { spec, target, authorities, externalPeers, chain, ...(clientCommand ? { clientCommand } : {}), ...nodePolicy });
  return {
    ...(fleet.rpcUrl ? { rpcUrl: fleet.rpcUrl } : {}),
    memberRpcUrls: fleet.memberRpcUrls,
    memberStackRpcUrls: fleet.memberStackRpcUrls,
    enodes: fleet.enodes,
    nodes: fleet.nodes,
    ...(workDir ? { workDir } : {}),
    target,
    component: fleet,
  };
}
