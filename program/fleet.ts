// Declares the fleet on the spec's target: local processes, Docker hosts or Kubernetes.
import * as pulumi from "@pulumi/pulumi";
import { resolve } from "node:path";
import { DockerFleet } from "../components/fleet/docker/DockerFleet";
import { KubernetesFleet } from "../components/fleet/kubernetes/KubernetesFleet";
import { FleetAuthority, NodeFleet } from "../components/fleet/NodeFleet";
import { ChainFile } from "../render/runSpec";
import { ensureTools } from "../lib/toolchain/resolve";
import { cacheRoot } from "../lib/toolchain/versions";
import { sealsWithNodeKey } from "../settings/clients";
import { ConsortiumSpec } from "../settings/consortium";

export interface FleetInputs {
  spec: ConsortiumSpec;
  authorities: FleetAuthority[];
  chain: pulumi.Output<ChainFile>;
  externalPeers: string[];
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
   * Kubernetes. Empty without RPC nodes. A member's bridge agent reads the home chain here, not through another's node.
   */
  memberRpcUrls: pulumi.Output<Record<string, string>>;
  enodes: pulumi.Output<string[]>;
  nodes: pulumi.Output<unknown[]>;
  /** Where local node directories live (local target only). */
  workDir?: string;
  /** The fleet component: what depends on a running chain (contracts, agents) waits for it. */
  component: pulumi.Resource;
}

type FleetOutputs = Pick<DeclaredFleet, "rpcUrl" | "memberRpcUrls" | "enodes" | "nodes">;
const outputs = (f: FleetOutputs): FleetOutputs => ({ ...(f.rpcUrl ? { rpcUrl: f.rpcUrl } : {}), memberRpcUrls: f.memberRpcUrls, enodes: f.enodes, nodes: f.nodes });

export async function declareFleet({ spec, authorities, chain, externalPeers }: FleetInputs): Promise<DeclaredFleet> {
  const memberOf = (name: string) => spec.authorities.find((a) => a.name === name)!.member;
  switch (spec.fleet.target) {
    case "local": {
      const stack = pulumi.getStack();
      const geth = process.env.CONSORTIUM_GETH ?? (await ensureTools({ build: false, log: () => {} })).geth;
      const workDir = resolve(spec.fleet.workDir ?? resolve(".work", stack));
      const fleet = new NodeFleet("fleet", {
        spec,
        authorities,
        externalPeers,
        chain,
        geth,
        workDir,
        portRegistry: cacheRoot(),
        owner: `${pulumi.getProject()}/${stack}@${workDir}`,
      });
      return { ...outputs(fleet), workDir, component: fleet };
    }
    case "docker": {
      const fleet = new DockerFleet("fleet", { spec, authorities, externalPeers, chain });
      return { ...outputs(fleet), component: fleet };
    }
    case "kubernetes": {
      const fleet = new KubernetesFleet("fleet", {
        spec,
        chain,
        externalPeers,
        authorities: authorities.map((a) => ({
          name: a.name,
          member: memberOf(a.name),
          nodePublicKey: a.nodePublicKey,
          nodeKey: a.nodeKey,
          ...(sealsWithNodeKey(spec.engine) ? {} : { signer: { address: a.address, keystore: a.keystore }, password: a.password }),
        })),
      });
      return { ...outputs(fleet), component: fleet };
    }
  }
}
