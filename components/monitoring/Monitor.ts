// The operators' monitor (render/monitoring/monitor.ts), placed by the stack's target like a node or an agent: the
// chain's status and metrics from the seals of its last blocks, read through an RPC node of the fleet.
import * as pulumi from "@pulumi/pulumi";
import { LOCAL_PORTS_PER_MONITOR, MONITOR_FOREIGN_URL_FILE, MONITOR_GROUP, MONITOR_NAME, MonitoredBridge, MonitorProgram, monitorWorkload } from "../../render/monitoring/monitor";
import type { Engine } from "../../settings/consortium";
import type { MonitoringSpec } from "../../settings/monitoring";
import type { Target } from "../targets/Target";

export interface MonitorArgs {
  settings: MonitoringSpec;
  engine: Engine;
  blockPeriodSeconds: number;
  /** The stack's target: a process of this machine on the local target, a container of `image` on the others. */
  target: Target;
  /** `monitoring.image` where the target runs images; empty for a local process. */
  image: string;
  /** Node.js and the monitor's entry: this machine's for a local process, the image's (IMAGE_MONITOR_PROGRAM) in a container. */
  program: MonitorProgram;
  /** The member whose RPC node it reads, and that node's URL as the stack's workloads reach it. */
  member: string;
  rpcUrl: pulumi.Input<string>;
  /** The chain's signers, by authority name. */
  signers: pulumi.Input<{ name: string; address: string }[]>;
  /** The stack's RPC nodes (name → URL as the stack reaches it), whose peers it counts. */
  nodes: pulumi.Input<Record<string, string>>;
  /**
   * The stack's token bridge (its contracts, validators and agents' health URLs as the monitor reaches them), when it
   * has one, and the foreign chain's endpoint, which it receives as a secret file.
   */
  bridge?: { watch: pulumi.Input<MonitoredBridge>; foreignRpcUrl: pulumi.Input<string> };
  /** The PoCo hub (the Diamond), when the stack has PoCo: its categories and worker pools are read too. */
  pocoHub?: pulumi.Input<string>;
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
    // Before anything is declared: a container without an image, or a local process with one, is a caller's mistake.
    if (args.target.runsImages !== (args.image !== "")) {
      throw new pulumi.ResourceError(`Monitor ${name}: the ${args.target.kind} target ${args.target.runsImages ? "runs images and no image was given (monitoring.image)" : "runs local processes and takes no image"}`, this);
    }
    const sites = args.target.sites(MONITOR_GROUP, [{ name: MONITOR_NAME, member: args.member, serves: ["http"] }], {
      peers: false,
      portsEach: LOCAL_PORTS_PER_MONITOR,
      publish: { firstHostPorts: { http: MONITOR_HOST_PORT }, on: "loopback" },
    });
    const workload = pulumi.all([sites, args.rpcUrl, args.signers, args.nodes, args.bridge?.watch, args.pocoHub]).apply(([[site], rpcUrl, signers, nodes, bridge, pocoHub]) =>
      monitorWorkload({
        settings: args.settings,
        engine: args.engine,
        blockPeriodSeconds: args.blockPeriodSeconds,
        member: args.member,
        rpcUrl,
        signers,
        nodes: Object.entries(nodes).map(([node, url]) => ({ name: node, rpcUrl: url })),
        ...(bridge ? { bridge } : {}),
        ...(pocoHub ? { poco: { hub: pocoHub } } : {}),
        site,
        program: args.program,
        image: args.image,
      }),
    );
    const placed = args.target.place({
      resourceName: name,
      shape: { name: MONITOR_NAME, member: args.member, image: args.image, inits: 0 },
      workload,
      secretValues: args.bridge ? pulumi.output(args.bridge.foreignRpcUrl).apply((url) => ({ [MONITOR_FOREIGN_URL_FILE]: url })) : {},
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
