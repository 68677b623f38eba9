// The stack's policy gateways (render/permissions/gateway.ts): one in front of each member's RPC node, placed by the
// stack's target like any workload. Clients then reach the chain through them only: on Docker and Kubernetes the RPC
// nodes publish nothing (components/fleet/Fleet.ts `gated`); a local process stays on this machine's loopback.
import * as pulumi from "@pulumi/pulumi";
import { GATEWAY_GROUP, GATEWAY_KEYS_FILE, GatewayProgram, gatewayName, gatewayWorkload, LOCAL_PORTS_PER_GATEWAY } from "../../render/permissions/gateway";
import { DEFAULT_RPC_HOST_PORT } from "../../render/fleet";
import type { PermissionsSpec } from "../../settings/permissions";
import type { Target } from "../targets/Target";

export interface PolicyGatewaysArgs {
  /** The stack's target: a process of this machine on the local target, a container of `image` on the others. */
  target: Target;
  /** `permissions.gatewayImage` where the target runs images; empty for a local process. */
  image: string;
  /** Node.js and the gateway's entry: this machine's for a local process, the image's (IMAGE_GATEWAY_PROGRAM) in a container. */
  program: GatewayProgram;
  /** Each member's RPC node as the stack's workloads reach it, by member: one gateway each. */
  upstreams: pulumi.Input<Record<string, string>>;
  /** The members, in the order their gateways take host ports (known before any URL is). */
  members: string[];
  /** The policy, with the stack's own accounts added. */
  policy: pulumi.Input<PermissionsSpec>;
  /** Holder → API key, when reads need one (secret). */
  apiKeys?: pulumi.Input<Record<string, string>>;
  /** Docker: the host port of the first gateway on each engine (the RPC nodes' default: clients keep their URL). */
  hostPort?: number;
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class PolicyGateways extends pulumi.ComponentResource {
  /** Each member's guarded JSON-RPC endpoint, as clients (and the deployer) reach it, by member. */
  readonly urls: pulumi.Output<Record<string, string>>;
  /** The same as the stack's workloads reach them. */
  readonly stackUrls: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: PolicyGatewaysArgs, opts?: pulumi.ComponentResourceOptions) {
    super("consortium:permissions:PolicyGateways", name, {}, opts);
    if (args.target.runsImages !== (args.image !== "")) {
      throw new pulumi.ResourceError(`PolicyGateways ${name}: the ${args.target.kind} target ${args.target.runsImages ? "runs images and no image was given (permissions.gatewayImage)" : "runs local processes and takes no image"}`, this);
    }
    const sites = args.target.sites(GATEWAY_GROUP, args.members.map((member) => ({ name: gatewayName(member), member, serves: ["rpc"] })), {
      peers: false,
      portsEach: LOCAL_PORTS_PER_GATEWAY,
      publish: { firstHostPorts: { rpc: args.hostPort ?? DEFAULT_RPC_HOST_PORT }, on: "rpcBind" },
    });
    const placed = args.members.map((member, i) =>
      args.target.place({
        resourceName: gatewayName(member),
        shape: { name: gatewayName(member), member, image: args.image, inits: 0 },
        workload: pulumi.all([sites, args.upstreams, args.policy]).apply(([s, upstreams, policy]) => {
          if (!upstreams[member]) throw new Error(`PolicyGateways ${name}: member ${member} has no RPC node to guard`);
          return gatewayWorkload({ member, upstream: upstreams[member], policy, site: s[i], program: args.program, image: args.image });
        }),
        secretValues: args.apiKeys ? pulumi.output(args.apiKeys).apply((keys) => ({ [GATEWAY_KEYS_FILE]: JSON.stringify(keys) })) : {},
        parent: this,
        ...(args.dependsOn ? { dependsOn: args.dependsOn } : {}),
      }),
    );
    const byMember = (url: (i: number) => pulumi.Output<string>) =>
      pulumi.all(args.members.map((_, i) => url(i))).apply((urls) => Object.fromEntries(args.members.map((m, i) => [m, urls[i]])));
    this.urls = byMember((i) => placed[i].url("rpc"));
    this.stackUrls = byMember((i) => placed[i].stackUrl("rpc"));
    this.registerOutputs({ urls: this.urls, stackUrls: this.stackUrls });
  }
}
