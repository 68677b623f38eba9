// A consortium stack: it deploys what the members share — the bridge's contracts and PoCo — and runs no node: every
// authority is a member's, known by its public parts. It reaches the chain through a member's RPC node
// (`bridge.home.rpcUrl`), hands every role to the consortium's owner addresses, and holds no member key: its
// deployer's key is its only secret. Each member's stack then runs its own nodes and agent against these contracts.
import * as pulumi from "@pulumi/pulumi";
import { withBridge, withPoco } from "../lib/ceremony/manifest";
import type { Manifest } from "../lib/ceremony/manifestFile";
import { ConsortiumSpec } from "../settings/consortium";
import { DeclaredBridge, declareBridge } from "./bridge";
import { contractDeployer } from "./deployer";
import { DeclaredPoco, declarePoco } from "./poco";

const refuse = (field: string, what: string, fix: string): never => {
  throw new pulumi.RunError(`consortium:${field}: ${what}. Fix: ${fix}.`);
};

/** Whether the stack runs no node: every authority is a member's (external without its key directory) or retired. */
export function runsNoNode(spec: ConsortiumSpec): boolean {
  return spec.authorities.every((a) => a.retired || (a.external && !a.external.keyDir));
}

/** What the stack read: the consortium manifest, and its own `consortium:bridge` as written (published without endpoints). */
export interface ReadManifest {
  manifest: Manifest;
  bridgeSettings?: Record<string, unknown>;
}

/** The manifest this stack read, with what it deployed: the bridge (settings and contracts, no endpoint) and PoCo. */
function publishedManifest(spec: ConsortiumSpec, { manifest, bridgeSettings }: ReadManifest, bridge: DeclaredBridge | undefined, poco: DeclaredPoco | undefined): pulumi.Output<Manifest> {
  return pulumi.all([bridge?.bridge, poco?.poco]).apply(([deployed, addresses]) => {
    const set = spec.bridge && { validators: spec.bridge.validators, threshold: spec.bridge.threshold };
    const withContracts = deployed && set && bridgeSettings ? withBridge(manifest, bridgeSettings, deployed, set) : manifest;
    return addresses ? withPoco(withContracts, spec.poco!.chainName, addresses) : withContracts;
  });
}

/** `read`: the consortium manifest the stack read; its output `manifest` adds what this stack deployed. */
export async function declareConsortiumStack(spec: ConsortiumSpec, read?: ReadManifest): Promise<Record<string, unknown>> {
  // Refused with the field and the fix before any resource is declared.
  if (!spec.bridge && !spec.poco) {
    refuse(
      "authorities",
      "every authority is external (or retired), so this stack has no node to run, and it has no contract to deploy",
      "generate keys for at least one authority here (omit its `external`), give a member's keyDir, or configure the bridge (and PoCo) a consortium stack deploys",
    );
  }
  const rpcUrl = spec.bridge?.home.rpcUrl;
  if (!rpcUrl) refuse("bridge.home.rpcUrl", "is missing: this stack runs no node (every authority is external), so it deploys through a member's RPC node", "give the JSON-RPC URL of a member's RPC node (or its gateway) that this machine reaches");
  if (spec.bridge?.contracts) refuse("bridge.contracts", "is set, but this stack runs no node, so it has no agent to run and no contract to deploy", "remove bridge.contracts to deploy the bridge from this consortium stack, or give a member's keyDir to run its agent");
  if (spec.dev) refuse("dev", "a consortium stack deploys with the consortium's deployer key and funds no one", "remove dev, and set consortium:deployerKey as a secret");
  for (const [field, set] of [["workerPools", spec.workerPools?.length], ["monitoring", spec.monitoring], ["permissions", spec.permissions]] as const) {
    if (set) refuse(field, "is a member's part: it runs beside nodes, and this consortium stack runs none", `remove ${field} here, and configure it in the stacks of the members that run it`);
  }

  const homeRpcUrl = pulumi.secret(rpcUrl!);
  const deployer = contractDeployer(undefined);
  const bridge = await declareBridge({ spec, homeRpcUrl, deployer, dev: false });
  const poco = declarePoco({ spec, homeRpcUrl, deployer, ...(bridge ? { bridgedToken: bridge.homeToken } : {}) });
  return {
    consortium: spec.name,
    chainId: spec.chainId,
    networkId: spec.networkId,
    engine: spec.engine,
    ...(bridge ? { foreignRpcUrl: bridge.foreignRpcUrl, bridge: bridge.bridge, homeToken: bridge.homeToken } : {}),
    ...(poco ?? {}),
    // What the members' stacks read next: the manifest with the bridge's settings and contracts (no endpoint), and PoCo.
    ...(read ? { manifest: publishedManifest(spec, read, bridge, poco) } : {}),
  };
}
