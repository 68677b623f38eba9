// The iExec PoCo stack (token mode) on the home chain, deployed from the @iexec/poco@6.1.0 npm artifacts: one
// PocoDeployment creates every contract (DiamondInit and base facets → Diamond → IexecLibOrders_v5 → facets →
// registries), cuts the facets in, sets up the registries, configures PoCo, creates the categories and hands
// ownership to the admin, in two rounds of blocks (lib/poco/deployment.ts); one PocoContract per contract then holds
// its address and code fingerprint, for refresh. Outputs the addresses and a chain.json for the iexec SDK.
import * as pulumi from "@pulumi/pulumi";
import { isAddress } from "ethers";
import { CONTRACTS } from "../../lib/poco/plan";
import type { Category } from "../../lib/poco/target";
import { IexecServices, renderIexecChainJson } from "../../render/poco/chainJson";
import { DEFAULT_CATEGORIES, DEFAULT_REGISTRY_BASE_URI, DEFAULT_STAKED, registryBaseUris } from "../../render/poco/defaults";
import { POCO_SETUP_TYPE, PocoContract, PocoDeployment } from "./resources";

export interface PocoStackArgs {
  /** JSON-RPC URL of the home chain (loopback or a private interface). */
  rpcUrl: pulumi.Input<string>;
  /** The home chain's id; transactions are signed for it and chain.json carries it. */
  chainId: pulumi.Input<number>;
  /** Private key of the funded deploying account. Made a secret here; it is never an output. */
  deployerKey: pulumi.Input<string>;
  /** ERC-20 token PoCo stakes (token mode): the bridged RLC on home. The iexec SDK deposits through its `approveAndCall`. */
  token: pulumi.Input<string>;
  /** Final owner of the Diamond and the three registries. */
  admin: pulumi.Input<string>;
  /** Task categories, in order (append-only on chain). Default: iExec's XS, S, M, L, XL. */
  categories?: pulumi.Input<Category[]>;
  /** Name and symbol of PoCo's staked balance. Default: "Staked RLC", "SRLC". */
  stakedName?: pulumi.Input<string>;
  stakedSymbol?: pulumi.Input<string>;
  /** Prefix of the registries' NFT token URIs (`<prefix>/<chainId>/<app|dataset|workerpool>/`). */
  registryBaseUri?: pulumi.Input<string>;
  /** Name of the chain in chain.json (the SDK's `--chain`). Default: the component's name. */
  chainName?: string;
  /** iExec services for chain.json; unset ones point at a closed loopback port (see render/poco/chainJson.ts). */
  services?: pulumi.Input<Partial<IexecServices>>;
}

export interface PocoAddresses {
  /** The Diamond: PoCo's single entry point ("hub" for the SDK). */
  hub: string;
  appRegistry: string;
  datasetRegistry: string;
  workerpoolRegistry: string;
  token: string;
  chainId: number;
}

function validate(name: string, args: PocoStackArgs, parent: pulumi.Resource): void {
  const fail = (msg: string) => {
    throw new pulumi.ResourceError(`PocoStack ${name}: ${msg}`, parent);
  };
  for (const field of ["token", "admin"] as const) {
    const v = args[field];
    if (typeof v === "string" && !isAddress(v)) fail(`${field} "${v}" is not an address. Fix: give the 0x-prefixed 20-byte address.`);
  }
  if (typeof args.chainId === "number" && !(Number.isSafeInteger(args.chainId) && args.chainId > 0)) fail(`chainId ${args.chainId} must be a positive integer.`);
  if (args.chainName !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(args.chainName)) fail(`chainName "${args.chainName}" must be lower-case letters, digits and dashes.`);
  if (Array.isArray(args.categories)) {
    if (args.categories.length === 0) fail("categories is empty. Fix: leave it unset for iExec's five, or list at least one.");
    args.categories.forEach((c: Category, i: number) => {
      if (!c.name || !(Number.isSafeInteger(c.workClockTimeRef) && c.workClockTimeRef > 0)) {
        fail(`categories[${i}] needs a name and a positive integer workClockTimeRef (seconds).`);
      }
    });
  }
}

export class PocoStack extends pulumi.ComponentResource {
  /** Addresses of the deployment, once its setup is complete. */
  readonly poco: pulumi.Output<PocoAddresses>;
  /** chain.json for the iexec SDK (`{"default": <chainName>, "chains": {...}}`). */
  readonly chainJson: pulumi.Output<string>;
  /** What differs on chain from the wanted setup (empty after a successful up; a refresh updates it). */
  readonly problems: pulumi.Output<string[]>;

  constructor(name: string, args: PocoStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Args stay out of super(): they hold the deployer key and would be saved in state.
    super("consortium:poco:PocoStack", name, {}, opts);
    validate(name, args, this);
    const deployerKey = pulumi.secret(args.deployerKey);
    const chainId = pulumi.output(args.chainId);
    const conn = { rpcUrl: args.rpcUrl, chainId, deployerKey };

    const deployment = new PocoDeployment(
      `${name}-deployment`,
      {
        ...conn,
        token: args.token,
        admin: args.admin,
        categories: args.categories ?? DEFAULT_CATEGORIES,
        stakedName: args.stakedName ?? DEFAULT_STAKED.name,
        stakedSymbol: args.stakedSymbol ?? DEFAULT_STAKED.symbol,
        registryBaseUris: pulumi.all([args.registryBaseUri ?? DEFAULT_REGISTRY_BASE_URI, chainId]).apply(([p, id]) => registryBaseUris(p, id)),
      },
      { parent: this, aliases: [{ name: `${name}-setup`, type: POCO_SETUP_TYPE }] },
    );
    const addresses = deployment.contracts;
    for (const contract of CONTRACTS) {
      new PocoContract(`${name}-${contract}`, { rpcUrl: args.rpcUrl, chainId, contract, address: addresses.apply((a) => a[contract]) }, { parent: this });
    }

    this.problems = deployment.problems;
    this.poco = pulumi.all([addresses, args.token, chainId]).apply(([a, token, id]) => ({
      hub: a.Diamond,
      appRegistry: a.AppRegistry,
      datasetRegistry: a.DatasetRegistry,
      workerpoolRegistry: a.WorkerpoolRegistry,
      token,
      chainId: id,
    }));
    this.chainJson = pulumi
      .all([this.poco, args.rpcUrl, args.services ?? {}])
      .apply(([p, host, services]) => renderIexecChainJson({ name: args.chainName ?? name, chainId: p.chainId, host, hub: p.hub, services }));
    this.registerOutputs({ poco: this.poco, chainJson: this.chainJson, problems: this.problems });
  }
}
