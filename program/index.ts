// The Pulumi program of a consortium stack: spec → keys → chain file → fleet. Every consortium folder under
// stacks/ points its Pulumi.yaml `main` here; the stack's configuration says what to build.
import * as pulumi from "@pulumi/pulumi";
import { computeAddress } from "ethers";
import { readFileSync } from "node:fs";
import { AuthorityKeys } from "../components/keys/AuthorityKeys";
import { AccountKey } from "../components/keys/GeneratedKey";
import { FleetAuthority } from "../components/fleet/Fleet";
import { applyManifest } from "../lib/ceremony/manifest";
import { renderChainFile } from "../render/chain";
import { enodeUrl } from "../render/keys/nodeKey";
import { sealsWithNodeKey } from "../settings/clients";
import { SpecError } from "../settings/errors";
import { isRecord, parseEndpoint } from "../settings/fields";
import { parseConsortiumSpec } from "../settings/parse";
import { readConsortiumConfig, readSecretSettings } from "./config";
import { declareBridge } from "./bridge";
import { declareCluster } from "./cluster";
import { declareConsortiumStack, ReadManifest, runsNoNode } from "./consortiumStack";
import { contractDeployer } from "./deployer";
import { declareFleet } from "./fleet";
import { memberAuthority } from "./memberKeys";
import { declareMonitoring } from "./monitoring";
import { declareGateways, declareOnChainPolicy, genesisPolicy, stackPolicy } from "./permissions";
import { declarePoco } from "./poco";
import { declareWorkerPools } from "./workerPools";
import { Addresses, declareValidatorChanges, validatorSets, withValidatorSchedule } from "./validators";

/** The address a QBFT validator is known by: that of its node key. */
const nodeKeyAddress = (nodePublicKey: string) => computeAddress("0x04" + nodePublicKey);

export default async function consortium(): Promise<Record<string, unknown>> {
  let spec;
  let read: ReadManifest | undefined;
  try {
    // A federated stack's consortium settings come from the manifest it names, verified first (lib/ceremony/manifest.ts).
    const { raw, manifest } = applyManifest(readConsortiumConfig(), (path) => readFileSync(path, "utf8"));
    read = manifest && { manifest, ...(isRecord(raw.bridge) ? { bridgeSettings: raw.bridge } : {}) };
    spec = parseConsortiumSpec(raw, readSecretSettings());
  } catch (err) {
    // A clean message without a stack trace: the operator's fix is in the config, not in our code.
    if (err instanceof SpecError) throw new pulumi.RunError(err.message);
    throw err;
  }
  const byNodeKey = sealsWithNodeKey(spec.engine);

  // A stack that runs no node deploys the members' shared contracts, or is refused (program/consortiumStack.ts). The
  // ceremony validates all-external consortia, so "no node here" is the program's rule, not the settings'. Members'
  // key directories that do not hold the member's keys are refused with the field and the fix before any resource.
  if (runsNoNode(spec)) return declareConsortiumStack(spec, read);
  const memberKeys = new Map(
    spec.authorities.flatMap((a, index) => (a.external?.keyDir && !a.retired ? [[a.name, memberAuthority({ ...a, external: { ...a.external, keyDir: a.external.keyDir } }, index)] as const] : [])),
  );
  const own: FleetAuthority[] = [];
  const addressOf: Addresses = new Map();
  const externalPeers: string[] = [];
  for (const a of spec.authorities) {
    if (a.external) {
      addressOf.set(a.name, byNodeKey ? nodeKeyAddress(a.external.nodePublicKey) : a.external.address);
      if (a.retired) continue;
      const member = memberKeys.get(a.name);
      if (member) {
        own.push(member);
      } else if (a.external.endpoint) {
        const { host, port } = parseEndpoint(a.external.endpoint)!;
        externalPeers.push(enodeUrl(a.external.nodePublicKey, host, port));
      }
      continue;
    }
    const keys = new AuthorityKeys(a.name, { scryptN: spec.keys.scryptN, dev: spec.dev });
    addressOf.set(a.name, byNodeKey ? keys.nodePublicKey.apply(nodeKeyAddress) : keys.address);
    // A retired authority keeps its (protected) keys and its place in the genesis, but no node.
    if (!a.retired) own.push({ name: a.name, address: keys.address, keystore: keys.keystore, password: keys.password, nodeKey: keys.nodeKey, nodePublicKey: keys.nodePublicKey });
  }

  // The permissions the chain and its nodes enforce themselves (AuRa's contract, Besu's allowlist) and the gateways
  // at its edge; known once the stack's own accounts are declared, further down.
  const policy = stackPolicy(spec);
  const devAccount = spec.dev ? new AccountKey("dev-account", { protect: true }) : undefined;
  const devFunding = devAccount ? devAccount.address.apply((a) => ({ [a!]: spec.devAccountBalanceWei! })) : {};
  const validators = validatorSets(spec, addressOf);
  const members = pulumi.all([pulumi.all(validators.genesis), devFunding]).apply(([v, extraAlloc]) => ({ validators: v, extraAlloc }));
  // AuRa keeps the transact and deploy lists in its genesis (as the chain began: program/permissions.ts).
  const genesisPermissions = policy && spec.engine === "aura" ? genesisPolicy(policy, members.apply((m) => renderChainFile(spec, m).content)) : undefined;
  const chain = withValidatorSchedule(
    spec,
    pulumi.all([members, genesisPermissions]).apply(([m, permissions]) => renderChainFile(spec, { ...m, ...(permissions ? { permissions } : {}) })),
    addressOf,
  );

  // The stack's own Kubernetes provider when a kubeconfig is configured; none (the ambient kubeconfig) otherwise.
  const cluster = declareCluster(spec);
  const fleet = await declareFleet({ spec, authorities: own, chain, externalPeers, ...(policy ? { permissions: policy.policy } : {}), ...(cluster ? { cluster } : {}) });
  // Where this machine reaches the home chain: the operator's bridge.home.rpcUrl when given (required where the fleet's
  // own URL is not this machine's to reach: no RPC node, or in-cluster names on Kubernetes — settings/parse.ts; with
  // permissions it must reach a gateway), else the fleet's (or its gateway's) URL; through a gateway with the stack's
  // API key when permissions restrict the chain.
  const givenHomeRpcUrl = spec.bridge?.home.rpcUrl !== undefined ? pulumi.output(spec.bridge.home.rpcUrl) : undefined;
  const permissions = policy && declareGateways(spec, policy, fleet, own.map((a) => a.name), givenHomeRpcUrl);
  const homeRpcUrl = (permissions?.deployerRpcUrl ?? givenHomeRpcUrl ?? fleet.rpcUrl)!;
  // Where the stack's own workloads reach it (a Kubernetes pool's pods: the in-cluster name).
  const stackRpcUrl = permissions?.stackRpcUrl ?? fleet.rpcUrl ?? homeRpcUrl;
  const chainReady = permissions?.gateways ?? fleet.component;
  if (policy && genesisPermissions) declareOnChainPolicy(policy, genesisPermissions, homeRpcUrl, chainReady);
  const validatorChanges = declareValidatorChanges(spec, addressOf, fleet);
  const devDeployer = devAccount ? { address: devAccount.address, privateKey: pulumi.secret(devAccount.privateKey) } : undefined;
  // What this stack sends to the chain (contracts, pool registrations) needs a deployer; a member's stack that runs
  // its agents against the consortium stack's contracts needs none.
  const sends = (spec.bridge && !spec.bridge.contracts) || (spec.poco && !spec.poco.deployed) || (spec.workerPools ?? []).length > 0;
  const deployer = sends ? contractDeployer(devDeployer) : undefined;
  const nodes = { memberStackRpcUrls: fleet.memberStackRpcUrls, target: fleet.target, ready: chainReady };
  const bridge = await declareBridge({ spec, homeRpcUrl, ...(deployer ? { deployer } : {}), dev: spec.dev, nodes });
  const poco = declarePoco({ spec, homeRpcUrl, ...(deployer ? { deployer } : {}), fleet: chainReady, ...(bridge ? { bridgedToken: bridge.homeToken } : {}) });
  // Worker pools are registered in PoCo (the spec refuses pools without it).
  const workerPools = poco && deployer && declareWorkerPools({ spec, homeRpcUrl, stackRpcUrl, poco: poco.poco, deployer, ...(cluster ? { cluster } : {}) });
  policy?.admit(
    pulumi.all([deployer?.address ?? "", bridge?.validatorAddresses ?? [], workerPools?.accounts ?? []]).apply(([d, validators, pools]) => ({
      transact: [...validators, ...pools],
      deploy: d ? [d] : [],
    })),
  );
  const memberRpcUrls = permissions?.memberRpcUrls ?? fleet.memberRpcUrls;
  const monitoring = declareMonitoring({ spec, fleet, addressOf, clientRpcUrls: memberRpcUrls, ...(bridge ? { bridge } : {}), ...(poco ? { poco } : {}) });

  return {
    consortium: spec.name,
    chainId: spec.chainId,
    networkId: spec.networkId,
    engine: spec.engine,
    client: spec.client,
    target: spec.fleet.target,
    // The first authority's member's RPC node (absent with fleet.rpcNode: false); every member's in memberRpcUrls.
    // With permissions, their policy gateways: the nodes themselves serve the stack's workloads only.
    ...(permissions ? { rpcUrl: permissions.rpcUrl } : fleet.rpcUrl ? { rpcUrl: fleet.rpcUrl } : {}),
    memberRpcUrls,
    ...(policy ? { permissions: policy.policy.apply(({ read, transact, deploy, owner }) => ({ read, transact, deploy, ...(owner ? { owner } : {}) })) } : {}),
    signers: pulumi.all(validators.desired),
    enodes: fleet.enodes,
    nodes: fleet.nodes,
    ...(fleet.workDir ? { workDir: fleet.workDir } : {}),
    ...(devAccount ? { devAccount: { address: devAccount.address, privateKey: pulumi.secret(devAccount.privateKey) } } : {}),
    ...(bridge ? { ...(bridge.foreignRpcUrl ? { foreignRpcUrl: bridge.foreignRpcUrl } : {}), bridge: bridge.bridge, homeToken: bridge.homeToken } : {}),
    ...(poco ?? {}),
    ...(workerPools ? { workerPools: workerPools.workerPools } : {}),
    ...(monitoring ?? {}),
    ...validatorChanges,
  };
}
