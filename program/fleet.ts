// Declares the fleet on the spec's target: local processes, Docker hosts or Kubernetes.
import * as pulumi from "@pulumi/pulumi";
import { resolve } from "node:path";
import { DockerFleet } from "../components/fleet/docker/DockerFleet";
import { KubernetesFleet } from "../components/fleet/kubernetes/KubernetesFleet";
import { FleetAuthority, NodeFleet } from "../components/fleet/NodeFleet";
import { ChainFile } from "../render/runSpec";
import { ensureTools } from "../scripts/toolchain/resolve";
import { cacheRoot } from "../scripts/toolchain/versions";
import { sealsWithNodeKey } from "../spec/clients";
import { ConsortiumSpec } from "../spec/consortium";

export interface FleetInputs {
  spec: ConsortiumSpec;
  authorities: FleetAuthority[];
  chain: pulumi.Output<ChainFile>;
  externalPeers: string[];
}

export interface DeclaredFleet {
  rpcUrl: pulumi.Output<string>;
  enodes: pulumi.Output<string[]>;
  nodes: pulumi.Output<unknown[]>;
  /** Where local node directories live (local target only). */
  workDir?: string;
  /** The fleet component: what depends on a running chain (contracts, agents) waits for it. */
  component: pulumi.Resource;
}

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
      return { rpcUrl: fleet.rpcUrl, enodes: fleet.enodes, nodes: fleet.nodes, workDir, component: fleet };
    }
    case "docker": {
      const fleet = new DockerFleet("fleet", { spec, authorities, externalPeers, chain });
      return { rpcUrl: fleet.rpcUrl, enodes: fleet.enodes, nodes: fleet.nodes, component: fleet };
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
      return { rpcUrl: fleet.rpcUrl, enodes: fleet.enodes, nodes: fleet.nodes, component: fleet };
    }
  }
}
