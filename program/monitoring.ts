// Declares the operators' monitor when the settings run one (settings/monitoring.ts): it reads the chain through the
// RPC node of the first authority's member and counts the peers of every member's RPC node.
import * as pulumi from "@pulumi/pulumi";
import { Monitor } from "../components/monitoring/Monitor";
import { packagePath } from "../lib/project";
import { IMAGE_MONITOR_PROGRAM, MonitoredBridge } from "../render/monitoring/monitor";
import type { MonitoringOutput } from "../render/monitoring/prometheus";
import { ConsortiumSpec, rpcNodeName } from "../settings/consortium";
import type { DeclaredBridge } from "./bridge";
import type { DeclaredFleet } from "./fleet";
import type { DeclaredPoco } from "./poco";
import type { Addresses } from "./validators";

export interface MonitoringInputs {
  spec: ConsortiumSpec;
  fleet: DeclaredFleet;
  /** Each authority's signing address (Clique: its key's; QBFT: its node key's). */
  addressOf: Addresses;
  /** The stack's token bridge, which the monitor then watches too. */
  bridge?: DeclaredBridge;
  /** The stack's PoCo, whose hub, categories and worker pools the monitor then reads too. */
  poco?: DeclaredPoco;
  /** Each member's JSON-RPC endpoint as clients reach it (its policy gateway when permissions restrict the chain). */
  clientRpcUrls: pulumi.Output<Record<string, string>>;
}

/**
 * What the monitor reads of the bridge: the contracts, each validator (names in the spec's order, as deployed), each
 * agent where the stack's workloads reach it. Wallets get the home chain's RPC node as clients reach it (the
 * monitor itself reads it where the stack's workloads do). The bridge app may hand the foreign URL to wallets only in dev stacks,
 * where it is the local dev chain's (elsewhere it may carry an API key — the monitor gets it as a secret file — and
 * wallets know mainnet already).
 */
function bridgeToWatch(spec: ConsortiumSpec, declared: DeclaredBridge, homeWalletRpcUrl: pulumi.Output<string | undefined>): pulumi.Output<MonitoredBridge> {
  const walletRpcUrl = spec.dev ? declared.foreignRpcUrl : pulumi.output(undefined);
  return pulumi.all([declared.bridge, declared.agentsInStack, walletRpcUrl, homeWalletRpcUrl]).apply(([b, agents, wallet, homeWallet]) => ({
    chainName: spec.name,
    foreign: {
      chainId: b.foreign.chainId,
      ...(wallet ? { walletRpcUrl: wallet } : {}),
      vault: b.foreign.vault,
      token: b.foreign.token,
      startBlock: b.foreign.startBlock,
      confirmations: spec.bridge!.foreign.confirmations,
    },
    home: {
      chainId: b.home.chainId,
      ...(homeWallet ? { walletRpcUrl: homeWallet } : {}),
      // The gateways answer no read without a key: each holder puts their own into the wallet's URL.
      ...(spec.permissions?.read === "keys" ? { walletKeyRequired: true } : {}),
      gateway: b.home.gateway,
      token: b.home.token,
      startBlock: b.home.startBlock,
    },
    validators: spec.bridge!.validators.map((name, i) => ({ name, address: b.validators[i] })),
    agents: Object.entries(agents).map(([name, healthUrl]) => ({ name, healthUrl })),
  }));
}

export function declareMonitoring({ spec, fleet, addressOf, bridge, poco, clientRpcUrls }: MonitoringInputs): { monitoring: pulumi.Output<MonitoringOutput> } | undefined {
  if (!spec.monitoring) return undefined;
  const sealing = spec.authorities.filter((a) => !a.retired);
  const member = (sealing.find((a) => !a.external) ?? sealing[0]).member;
  const monitor = new Monitor("monitor", {
    settings: spec.monitoring,
    engine: spec.engine,
    blockPeriodSeconds: spec.blockPeriodSeconds,
    target: fleet.target,
    // A local process runs this machine's Node.js and the compiled monitor of the checkout running the provider
    // (lib/project.ts); a container its image's.
    ...(fleet.target.runsImages
      ? { image: spec.monitoring.image, program: IMAGE_MONITOR_PROGRAM }
      : { image: "", program: { node: process.execPath, main: packagePath("dist/monitor/main.js") } }),
    member,
    rpcUrl: fleet.memberStackRpcUrls.apply((urls) => urls[member] ?? Object.values(urls)[0]),
    signers: pulumi.all(sealing.map((a) => pulumi.output(addressOf.get(a.name)!).apply((address) => ({ name: a.name, address })))),
    nodes: fleet.memberStackRpcUrls.apply((urls) => Object.fromEntries(Object.entries(urls).map(([m, url]) => [rpcNodeName(m), url]))),
    // The bridge is watched where the stack has a foreign endpoint (a member's stack without a validator has none).
    ...(bridge?.foreignRpcUrl ? { bridge: { watch: bridgeToWatch(spec, bridge, clientRpcUrls.apply((urls) => urls[member])), foreignRpcUrl: bridge.foreignRpcUrl } } : {}),
    ...(poco ? { pocoHub: poco.poco.apply((p) => p.hub) } : {}),
    dependsOn: [fleet.component],
  });
  // What `consortium prometheus` renders the stack's Prometheus files from.
  const alerts = { blockPeriodSeconds: spec.blockPeriodSeconds, backlogBlocks: spec.monitoring.backlogBlocks, minValidatorGasEther: spec.monitoring.minValidatorGasEther };
  return {
    monitoring: pulumi
      .all([monitor.appUrl, monitor.dashboardUrl, monitor.statusUrl, monitor.metricsUrl])
      .apply(([appUrl, dashboardUrl, statusUrl, metricsUrl]) => ({ ...(appUrl ? { appUrl } : {}), dashboardUrl, statusUrl, metricsUrl, alerts })),
  };
}
