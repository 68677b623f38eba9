// Declares the iExec PoCo stack on the home chain: token = the bridged RLC unless configured, owner = the
// configured admin (the deployer in dev stacks).
import * as pulumi from "@pulumi/pulumi";
import { PocoAddresses, PocoStack } from "../components/poco/PocoStack";
import { renderIexecChainJson } from "../render/poco/chainJson";
import { ConsortiumSpec } from "../settings/consortium";
import { Deployer } from "./deployer";

export interface PocoInputs {
  spec: ConsortiumSpec;
  /** JSON-RPC endpoint of the home chain reachable from here (the fleet's RPC node). */
  homeRpcUrl: pulumi.Output<string>;
  /** Deploys PoCo; unused when another stack deployed it (`poco.deployed`). */
  deployer?: Deployer;
  /** The bridged token on home, when the stack has a bridge. */
  bridgedToken?: pulumi.Output<string>;
  /** The home fleet: the deployment waits until it runs (absent in a consortium stack, which runs none). */
  fleet?: pulumi.Resource;
}

export interface DeclaredPoco {
  poco: pulumi.Output<PocoAddresses>;
  /** chain.json for the iexec SDK. */
  chainJson: pulumi.Output<string>;
}

export function declarePoco({ spec, homeRpcUrl, deployer, bridgedToken, fleet }: PocoInputs): DeclaredPoco | undefined {
  const poco = spec.poco;
  if (!poco) return undefined;
  if (poco.deployed) {
    // Deployed by the consortium stack: nothing to create, its addresses and this chain's chain.json.
    const addresses = { ...poco.deployed, chainId: spec.chainId };
    const chainJson = homeRpcUrl.apply((host) => renderIexecChainJson({ name: poco.chainName, chainId: spec.chainId, host, hub: addresses.hub }));
    return { poco: pulumi.output(addresses), chainJson };
  }
  if (!deployer) throw new pulumi.RunError("consortium:deployerKey: deploying PoCo needs the deployer's key. Fix: pulumi config set --secret consortium:deployerKey 0x…");
  // settings/poco.ts guarantees a token when there is no bridge.
  const token = poco.token ?? bridgedToken!;
  const stack = new PocoStack("poco", {
    rpcUrl: homeRpcUrl,
    chainId: spec.chainId,
    deployerKey: deployer.privateKey,
    token,
    admin: poco.admin ?? deployer.address,
    chainName: poco.chainName,
    ...(poco.categories ? { categories: poco.categories } : {}),
  }, { dependsOn: fleet ? [fleet] : [] });
  return { poco: stack.poco, chainJson: stack.chainJson };
}
