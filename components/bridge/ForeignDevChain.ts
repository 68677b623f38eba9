// A dev stack's foreign chain: geth --dev (render/geth/devChain.ts), a workload placed by the stack's target in the
// bridge's group beside the agents. It runs this machine's geth, so settings/bridge.ts keeps it to the local target.
import * as pulumi from "@pulumi/pulumi";
import { devChainWorkload, DEV_CHAIN_PORTS } from "../../render/geth/devChain";
import type { Target } from "../targets/Target";

/** Block offset of its ports in the bridge's group (the agents take theirs from components/bridge/agents.ts AGENT_SITES). */
const FIRST_PORT = 1;

export interface ForeignDevChainArgs {
  /** The fleet's target. */
  target: Target;
  /** Who runs it (labels): the consortium's first member. */
  member: string;
  /** Path of this machine's geth. */
  geth: string;
  periodSeconds: number;
}

export class ForeignDevChain extends pulumi.ComponentResource {
  /** Its JSON-RPC URL on this machine, known once it answers. */
  readonly rpcUrl: pulumi.Output<string>;

  constructor(name: string, args: ForeignDevChainArgs, opts?: pulumi.ComponentResourceOptions) {
    super("consortium:bridge:ForeignDevChain", name, {}, opts);
    const { target } = args;
    const group = "bridge";
    // Its workload, directory and process: `foreign-dev-chain` for the stack's `foreign`, as before it was a component.
    const workload = `${name}-dev-chain`;
    const sites = target.sites(group, [{ name: workload, member: args.member, serves: ["http"] }], { peers: false, portsEach: DEV_CHAIN_PORTS, firstPort: FIRST_PORT });
    const placed = target.place({
      resourceName: workload,
      shape: { name: workload, member: args.member, image: "", inits: 0 },
      workload: sites.apply(([site]) => devChainWorkload({ name: workload, member: args.member, group, geth: args.geth, site, periodSeconds: args.periodSeconds })),
      secretValues: {},
      // Its data stays across `up`s; a new value would wipe it.
      resetKey: "geth --dev",
      parent: this,
      // Earlier versions declared its process at the stack's top level.
      aliases: (suffix) => (suffix === "" ? [{ parent: pulumi.rootStackResource }] : []),
    });
    this.rpcUrl = placed.url("http");
    this.registerOutputs({ rpcUrl: this.rpcUrl });
  }
}
