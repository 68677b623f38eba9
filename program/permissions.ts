// Declares where the stack's permissions (settings/permissions.ts) are enforced at its edge: a policy gateway in front
// of each member's RPC node (components/permissions/PolicyGateways.ts), on every engine — the only enforcement geth's
// Clique has, and the only read control any client has. The chain's own enforcement (AuRa's permission contract in the
// genesis, Besu's account allowlist) is rendered with the chain and the nodes. The stack's own accounts (the contracts'
// deployer, the bridge's validators, the worker pools' keys) are added to the lists, so a restrictive policy never
// stops the stack itself; the stack reaches its gateways with an API key of its own when reads need one.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { ApiKey } from "../components/keys/GeneratedKey";
import { GenesisPolicy } from "../components/permissions/GenesisPolicy";
import { OnChainPolicy } from "../components/permissions/OnChainPolicy";
import { listedAccounts } from "../lib/permissions/onChainPolicy";
import { TX_PERMISSION_ADDRESS } from "../render/permissions/txPermission";
import { PolicyGateways } from "../components/permissions/PolicyGateways";
import { packagePath } from "../lib/project";
import { fleetLayout } from "../render/fleet";
import { IMAGE_GATEWAY_PROGRAM } from "../render/permissions/gateway";
import { ConsortiumSpec } from "../settings/consortium";
import { DEFAULT_GATEWAY_IMAGE, notAdmitted, PermissionsSpec, restrictsSenders, STACK_KEY_HOLDER, withStackAccounts } from "../settings/permissions";
import { NAMESPACE } from "./config";
import type { DeclaredFleet } from "./fleet";

/** The accounts the stack itself sends transactions from. */
export interface StackAccounts {
  transact: string[];
  deploy: string[];
}

/** The policy the stack enforces, known once the stack's own accounts are declared (after the chain file and the fleet). */
export interface StackPolicy {
  /** The settings' policy. */
  settings: PermissionsSpec;
  /** With the stack's own accounts. */
  policy: pulumi.Output<PermissionsSpec>;
  /** The stack's own accounts. */
  accounts: pulumi.Output<StackAccounts>;
  /** Admits the stack's own accounts: call once, when they are all declared (the bridge's and the pools' keys). */
  admit(accounts: pulumi.Input<StackAccounts>): void;
}

export function stackPolicy(spec: ConsortiumSpec): StackPolicy | undefined {
  const settings = spec.permissions;
  if (!settings) return undefined;
  const [accounts, admit] = pulumi.deferredOutput<StackAccounts>();
  return { settings, accounts, policy: accounts.apply((a) => withStackAccounts(settings, a)), admit: (a) => admit(pulumi.output(a)) };
}

/**
 * The policy a genesis holds (AuRa's permission contract): the settings' lists alone — a genesis must not change when
 * the stack gains an account, and a key ceremony renders the same one from the settings. So the stack's own accounts
 * must be listed there by the operator; one that is not is an error before the chain file exists. Kept as the chain
 * began (components/permissions/GenesisPolicy.ts) while the rest of the genesis (`genesisWithout`, the chain file
 * rendered without it) stays: later changes are the contract owner's (OnChainPolicy).
 */
export function genesisPolicy(stack: StackPolicy, genesisWithout: pulumi.Output<string>): pulumi.Output<PermissionsSpec> {
  const checked = stack.accounts.apply((a) => {
    const missing = notAdmitted(stack.settings, a);
    if (missing.length > 0) {
      throw new Error(
        `consortium:permissions: AuRa enforces the lists of its genesis, which the stack cannot add to later, and they do not admit the stack's own accounts ${missing.join(", ")} (the contracts' deployer may need deploy; the bridge validators and the worker pools' keys transact). Fix: add them to permissions.transact (and the deployer to permissions.deploy)`,
      );
    }
    return stack.settings;
  });
  const chainKey = genesisWithout.apply((text) => createHash("sha256").update(text).digest("hex"));
  return new GenesisPolicy("genesis-permissions", { policy: checked, chainKey }).policy;
}

export interface DeclaredGateways {
  /** Each member's guarded endpoint, as clients reach it, by member. */
  memberRpcUrls: pulumi.Output<Record<string, string>>;
  /** The first authority's member's (the stack's `rpcUrl`). */
  rpcUrl: pulumi.Output<string>;
  /**
   * Where this machine sends the stack's own transactions: the operator's URL of a gateway where one is given (the
   * gateways' own are in-cluster names on Kubernetes), else `rpcUrl`; with the stack's API key as its path when reads
   * need one (secret).
   */
  deployerRpcUrl: pulumi.Output<string>;
  /** Where the stack's workloads send theirs (a Kubernetes pool's pods): the first gateway as they reach it, keyed alike. */
  stackRpcUrl: pulumi.Output<string>;
  /** What must run before anything is sent through the gateways. */
  gateways: pulumi.Resource;
}

/** The members whose RPC node the fleet runs, in its order: the first is the stack's `rpcUrl`. */
const rpcMembers = (spec: ConsortiumSpec, authorities: readonly string[]): string[] =>
  fleetLayout(spec, authorities).flatMap((n) => (n.role === "rpc" ? [n.member] : []));

/**
 * A gateway in front of each member's RPC node (none without RPC nodes: the stack then serves no client). `reach`: the
 * operator's URL of a gateway as this machine reaches it (`bridge.home.rpcUrl`), where given.
 */
export function declareGateways(spec: ConsortiumSpec, stack: StackPolicy, fleet: DeclaredFleet, authorities: readonly string[], reach?: pulumi.Output<string>): DeclaredGateways | undefined {
  const members = rpcMembers(spec, authorities);
  if (members.length === 0) return undefined;
  const keys = stack.settings.read === "keys" ? readerKeys() : undefined;
  const gateways = new PolicyGateways("gateways", {
    target: fleet.target,
    // A local process runs this machine's Node.js and the compiled gateway of the checkout running the provider
    // (lib/project.ts); a container its image's.
    ...(fleet.target.runsImages
      ? { image: stack.settings.gatewayImage ?? DEFAULT_GATEWAY_IMAGE, program: IMAGE_GATEWAY_PROGRAM }
      : { image: "", program: { node: process.execPath, main: packagePath("dist/gateway/main.js") } }),
    upstreams: fleet.memberStackRpcUrls,
    members,
    policy: stack.policy,
    ...(keys ? { apiKeys: keys.all } : {}),
    dependsOn: [fleet.component],
  });
  const first = (urls: pulumi.Output<Record<string, string>>) => urls.apply((u) => u[members[0]]);
  const withStackKey = (url: pulumi.Output<string>) =>
    keys ? pulumi.secret(pulumi.all([url, keys.stack]).apply(([u, key]) => `${u.replace(/\/+$/, "")}/${encodeURIComponent(key)}`)) : url;
  const rpcUrl = first(gateways.urls);
  return {
    memberRpcUrls: gateways.urls,
    rpcUrl,
    deployerRpcUrl: withStackKey(reach ?? rpcUrl),
    stackRpcUrl: withStackKey(first(gateways.stackUrls)),
    gateways,
  };
}
/** The readers' keys (the secret consortium:permissionKeys) and the stack's own, generated and kept in the state. */
function readerKeys(): { all: pulumi.Output<Record<string, string>>; stack: pulumi.Output<string> } {
  const stack = new ApiKey("gateway-stack-api-key").token;
  const given = new pulumi.Config(NAMESPACE).requireSecretObject<Record<string, string>>("permissionKeys");
  return { all: pulumi.secret(pulumi.all([given, stack]).apply(([g, own]): Record<string, string> => ({ ...g, [STACK_KEY_HOLDER]: own }))), stack };
}

/**
 * AuRa: the contract's lists after the genesis, checked against the settings at every `up` (a refresh shows an owner's
 * change as drift); a difference stops the `up` with the transactions the owner must send — never sent from here.
 */
export function declareOnChainPolicy(stack: StackPolicy, genesis: pulumi.Output<PermissionsSpec>, rpcUrl: pulumi.Output<string>, chainReady: pulumi.Resource): OnChainPolicy | undefined {
  const { settings } = stack;
  if (!restrictsSenders(settings)) return undefined;
  return new OnChainPolicy(
    "permissions-on-chain",
    {
      rpcUrl,
      contract: TX_PERMISSION_ADDRESS,
      transact: settings.transact,
      deploy: settings.deploy,
      // settings/permissions.ts requires the owner on AuRa whenever a list restricts.
      owner: settings.owner!,
      genesisAccounts: genesis.apply(listedAccounts),
    },
    { dependsOn: [chainReady] },
  );
}
