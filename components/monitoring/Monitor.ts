// The operators' monitor (render/monitoring/monitor.ts), placed by the stack's target like a node or an agent: the
// chain's status and metrics from the seals of its last blocks, read through an RPC node of the fleet.
import * as pulumi from "@pulumi/pulumi";
import { LOCAL_PORTS_PER_MONITOR, MONITOR_GROUP, MONITOR_NAME, monitorWorkload } from "../../render/monitoring/monitor";
import type { Engine } from "../../settings/consortium";
import type { BridgeMonitorConfig } from "../../monitor/config";
import type { MonitoringSpec } from "../../settings/monitoring";
import type { Target } from "../targets/Target";

export interface MonitorArgs {
  settings: MonitoringSpec;
  engine: Engine;
  blockPeriodSeconds: number;
  /** The stack's target (the monitor is a process of this machine on the local target). */
  target: Target;
  /** Node.js and the monitor's entry: this machine's for a local process. */
  program: { node: string; main: string };
  /** The member whose RPC node it reads, and that node's URL as the stack's workloads reach it. */
  member: string;
  rpcUrl: pulumi.Input<string>;
  /** The chain's signers, by authority name. */
  signers: pulumi.Input<{ name: string; address: string }[]>;
  /** The stack's RPC nodes (name → URL as the stack reaches it), whose peers it counts. */
  nodes: pulumi.Input<Record<string, string>>;
  /** The stack's token bridge (its contracts, validators and agents' health URLs), when it has one. */
  bridge?: pulumi.Input<BridgeMonitorConfig>;
  /** What must run first (the fleet). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Published on the host's loopback (Docker): operators and their Prometheus reach it from there. */
const MONITOR_HOST_PORT = 9650;

export class Monitor extends pulumi.ComponentResource {
  /** The operators' dashboard (`/dashboard/`), the JSON status it reads (`/api/status`) and the Prometheus metrics
   * (`/metrics`), as the deployer reaches them. */
  readonly dashboardUrl: pulumi.Output<string>;
  /** The bridge app for token holders (`/app/`), when the stack has a bridge. */
  readonly appUrl: pulumi.Output<string | undefined>;
  readonly statusUrl: pulumi.Output<string>;
  readonly metricsUrl: pulumi.Output<string>;

  constructor(name: string, args: MonitorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("consortium:monitoring:Monitor", name, {}, opts);
    // Before anything is declared: a container target would need the monitor's image, which this version does not build.
    if (args.target.runsImages) throw new pulumi.ResourceError(`Monitor ${name}: runs on the local target only in this version (the ${args.target.kind} target runs images, and the monitor has none yet)`, this);
    const sites = args.target.sites(MONITOR_GROUP, [{ name: MONITOR_NAME, member: args.member, serves: ["http"] }], {
      peers: false,
      portsEach: LOCAL_PORTS_PER_MONITOR,
      publish: { firstHostPorts: { http: MONITOR_HOST_PORT }, on: "loopback" },
    });
    const workload = pulumi.all([sites, args.rpcUrl, args.signers, args.nodes, args.bridge]).apply(([[site], rpcUrl, signers, nodes, bridge]) =>
      monitorWorkload({
        settings: args.settings,
        engine: args.engine,
        blockPeriodSeconds: args.blockPeriodSeconds,
        member: args.member,
        rpcUrl,
        signers,
        nodes: Object.entries(nodes).map(([node, url]) => ({ name: node, rpcUrl: url })),
        ...(bridge ? { bridge } : {}),
        site,
        program: args.program,
        // Local processes only in this version (settings/monitoring.ts): no image yet.
        image: "",
      }),
    );
    const placed = args.target.place({
      resourceName: name,
      shape: { name: MONITOR_NAME, member: args.member, image: "", inits: 0 },
      workload,
      secretValues: {},
      parent: this,
      ...(args.dependsOn ? { dependsOn: args.dependsOn } : {}),
    });
    this.dashboardUrl = placed.url("http", "/dashboard/");
    this.appUrl = args.bridge ? placed.url("http", "/app/") : pulumi.output(undefined);
    this.statusUrl = placed.url("http", "/api/status");
    this.metricsUrl = placed.url("http", "/metrics");
    this.registerOutputs({ appUrl: this.appUrl, dashboardUrl: this.dashboardUrl, statusUrl: this.statusUrl, metricsUrl: this.metricsUrl });
  }
}
