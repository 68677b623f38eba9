// The node fleet of a consortium, on any target (components/targets): every authority this stack holds keys for, plus a
// non-signing RPC node per member (`rpc-<member>`, with `fleet.rpcNode`), statically peered. Authorities serve no
// HTTP — only IPC, inside their directory — and only the members' RPC nodes serve clients. The target decides where
// each node runs, which addresses peers dial and how files reach it; this component only decides what runs.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { FleetNodeKeys, FleetNodeShape, fleetEnodes, fleetLayout, localMetricsPorts, NODE_METRICS_GROUP, nodeSiteRequest, nodeSitesOptions, renderFleet } from "../../render/fleet";
import { CLIENT_INIT_STEPS, CLIENT_METRICS_PATH } from "../../render/clients";
import { clientImage, METRICS_PORT, nodeWorkload } from "../../render/nodeWorkload";
import { ChainFile } from "../../render/runSpec";
import { resolveSecretFiles } from "../../render/secrets";
import { sealsWithNodeKey } from "../../settings/clients";
import { ConsortiumSpec, RPC_NODE_NAME } from "../../settings/consortium";
import type { PermissionsSpec } from "../../settings/permissions";
import { LEGACY_FLEET_TYPES } from "../targets/declareTarget";
import { NodeKey } from "../keys/GeneratedKey";
import { Placed, Target } from "../targets/Target";

/** An authority whose keys this stack holds: one sealing node of the fleet (the same record on every target). */
export interface FleetAuthority {
  name: string;
  address: pulumi.Input<string>;
  /** Encrypted v3 keystore (JSON text); unused by QBFT validators, which seal with their node key. */
  keystore: pulumi.Input<string>;
  /** Secret: keystore password. */
  password: pulumi.Input<string>;
  /** Secret: devp2p node private key. */
  nodeKey: pulumi.Input<string>;
  nodePublicKey: pulumi.Input<string>;
  /** A member's authority on the member's own host (local processes): its ceremony endpoint, `host:port` (render/fleet.ts). */
  endpoint?: string;
}

export interface FleetArgs {
  /** Validated consortium spec (plain data, validated before any resource is declared). */
  spec: ConsortiumSpec;
  /** Where the nodes run (components/targets/declareTarget.ts). */
  target: Target;
  /** Authorities run by this stack: one sealing node each. */
  authorities: FleetAuthority[];
  /** enode URLs of nodes run elsewhere (members' own machines) to peer with. */
  externalPeers?: pulumi.Input<string[]>;
  /** The chain definition file (genesis / chainspec). A new one is a new chain: node directories are wiped. */
  chain: pulumi.Input<ChainFile>;
  /** The client's executable: a path on this machine for local processes; default: the binary in its image. */
  clientCommand?: string;
  /** Docker: host port of the first RPC node on each engine (default 8545; the next ones count up). */
  rpcHostPort?: number;
  /** The policy the nodes enforce themselves (Besu's account allowlist), with the stack's own accounts. */
  permissions?: pulumi.Input<PermissionsSpec>;
}

/** A node of a fleet, as the stack outputs it (every target). */
export interface FleetNode {
  name: string;
  /** The member organisation that runs it. */
  member: string;
  /** `authority`: seals, holds a signer key, serves no HTTP; `rpc`: the member's non-signing RPC node. */
  role: "authority" | "rpc";
  signer?: string;
  /** JSON-RPC over HTTP as the deployer reaches it: RPC nodes only. */
  rpcUrl?: string;
  /** Local authorities: the path of their IPC socket (relative to the project folder unless workDir is absolute), reachable by the node's user only (votes, checks). */
  ipcPath?: string;
  /**
   * Its own Prometheus metrics (every node; not secret), as a Prometheus beside the stack's workloads scrapes them:
   * loopback for a local process (this machine), its container on the Docker network, its Service in the cluster.
   */
  metricsUrl: string;
  enode: string;
}

/** `dependsOn` the resources given (undefined ones skipped), or nothing. */
function inTurnAfter(...before: (pulumi.Resource | undefined)[]): { dependsOn?: pulumi.Resource[] } {
  const after = [...new Set(before.filter((r): r is pulumi.Resource => r !== undefined))];
  return after.length > 0 ? { dependsOn: after } : {};
}

export class Fleet extends pulumi.ComponentResource {
  /** JSON-RPC endpoint for clients: the RPC node of the first authority's member; absent without RPC nodes. */
  readonly rpcUrl?: pulumi.Output<string>;
  /** Each member's RPC node's URL as the deployer reaches it, by member (empty without RPC nodes). */
  readonly memberRpcUrls: pulumi.Output<Record<string, string>>;
  /** Each member's RPC node's URL as the stack's other workloads reach it (a bridge agent beside it), by member. */
  readonly memberStackRpcUrls: pulumi.Output<Record<string, string>>;
  readonly enodes: pulumi.Output<string[]>;
  readonly nodes: pulumi.Output<FleetNode[]>;

  constructor(name: string, args: FleetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Args stay out of `super`: they hold secrets, and component args are saved in state. Earlier versions had one
    // fleet class per target: the alias maps their state (and their children's) onto this one.
    super("consortium:fleet:Fleet", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: LEGACY_FLEET_TYPES[args.spec.fleet.target] }] });
    const { spec, target } = args;
    const fail = (why: string) => new pulumi.ResourceError(`Fleet ${name}: ${why}`, this);
    if (spec.fleet.target !== target.kind) throw fail(`the spec's fleet target is ${spec.fleet.target}, but the target given is ${target.kind}`);
    if (args.authorities.length === 0) throw fail("no authority to run");

    // With permissions, clients reach the RPC nodes through the policy gateways (components/permissions/): the nodes
    // publish nothing, and their URLs here are the stack's.
    const gated = spec.permissions !== undefined;
    const clientUrl = (p: Placed) => (gated ? p.stackUrl("rpc") : p.url("rpc"));
    // Authorities first, then each member's RPC node. Plain data, checked before anything is declared.
    let layout: FleetNodeShape[];
    let sites: ReturnType<Target["sites"]>;
    try {
      layout = fleetLayout(spec, args.authorities.map((a) => a.name));
      sites = target.sites("fleet", layout.map((n) => nodeSiteRequest(n, spec.client, gated)), nodeSitesOptions(args.rpcHostPort));
    } catch (e) {
      throw fail((e as Error).message);
    }
    const primary = layout.find((n) => n.role === "rpc");
    const withKeystore = !sealsWithNodeKey(spec.engine);

    // The first member's RPC node was the stack's single RPC node "rpc" before: the aliases keep its key (enode) and
    // turn the rename into a replacement (old process or container removed first), not a second one on the same ports.
    const legacy = (node: string, old: string) => (node === primary?.name ? [{ name: old }] : []);
    const members = layout.map((n) => {
      const authority = args.authorities.find((a) => a.name === n.name);
      if (authority) return { ...n, authority, nodeKey: authority.nodeKey, nodePublicKey: authority.nodePublicKey };
      const key = new NodeKey(`${name}-${n.name}-node`, { parent: this, aliases: legacy(n.name, `${name}-${RPC_NODE_NAME}-node`) });
      return { ...n, authority: undefined, nodeKey: key.privateKey, nodePublicKey: key.publicKey };
    });
    const keyed = pulumi.all(
      members.map((m) =>
        pulumi.all([m.nodePublicKey, m.authority?.address ?? "", m.authority?.keystore ?? ""]).apply(
          ([nodePublicKey, address, keystore]): FleetNodeKeys => ({
            name: m.name,
            member: m.member,
            nodePublicKey,
            sealer: m.role === "authority",
            ...(m.authority && withKeystore ? { signer: { address, keystore } } : {}),
            ...(m.authority?.endpoint ? { endpoint: m.authority.endpoint } : {}),
          }),
        ),
      ),
    );
    // Local processes: metrics ports from a block of their own, by slot (render/fleet.ts NODE_METRICS_GROUP).
    const metricsPorts = target.portBlockBase ? target.portBlockBase(NODE_METRICS_GROUP).apply((base) => localMetricsPorts(base, layout)) : pulumi.output(undefined);
    const runSpecs = pulumi
      .all([keyed, sites, pulumi.output(args.chain), pulumi.output(args.externalPeers ?? []), metricsPorts, pulumi.output(args.permissions)])
      .apply(([nodes, s, chain, externalPeers, metrics, permissions]) =>
        renderFleet({
          spec,
          chain,
          nodes,
          sites: s,
          externalPeers,
          ...(metrics ? { metricsPorts: metrics } : {}),
          ...(args.clientCommand ? { command: args.clientCommand } : {}),
          ...(permissions ? { permissions } : {}),
        }),
      );
    const enodes = pulumi.all([keyed, sites]).apply(([nodes, s]) => fleetEnodes(nodes, s));
    // A new genesis is a new chain: nodes get fresh directories when it changes.
    const resetKey = pulumi.output(args.chain).apply((c) => createHash("sha256").update(c.content).digest("hex"));
    const image = clientImage(spec);

    // One node at a time (each waits for the previous one to run): a change that restarts every node, e.g. new static
    // peers when an authority joins or retires, leaves the others sealing. A target that restarts in turn by itself
    // needs no chain for that, and its RPC nodes first start together. Its sealers never do: on a fresh chain each
    // would seal a block 1 of its own before hearing of the others', and once every signer has signed on its own
    // branch none may seal block 2 (Clique's "signed recently"): the chain never moves (seen with three sealers
    // started at once). Started in turn, each joins the chain the ones before it made.
    let previous: pulumi.Resource | undefined;
    let previousSealer: pulumi.Resource | undefined;
    const placed: Placed[] = members.map((m, i) => {
      const run = runSpecs.apply((all) => all[i]);
      const secretValues = pulumi
        .all([run.secretFiles, pulumi.secret(m.nodeKey), pulumi.secret(m.authority?.password ?? ""), m.authority?.keystore ?? ""])
        .apply(([files, nodeKey, password, keystore]) => resolveSecretFiles(files, { nodeKey, ...(m.authority && withKeystore ? { password, keystore } : {}) }));
      const p = target.place({
        resourceName: `${name}-${m.name}`,
        shape: { name: m.name, member: m.member, image, critical: m.role === "authority", inits: CLIENT_INIT_STEPS[spec.client] },
        workload: run.apply((r) => nodeWorkload({ spec, run: r, member: m.member, role: m.role, image })),
        secretValues,
        resetKey,
        // A changed genesis on Kubernetes: init refuses it on the existing claim, visibly (render/kubernetes/initScript.ts).
        keepDataOnReset: true,
        parent: this,
        ...inTurnAfter(m.role === "authority" ? previousSealer : undefined, target.restartsInTurn ? undefined : previous),
        // Earlier names: the target's for this node (Target.namedBefore), and for the primary RPC node those of the
        // node "rpc" it was (see `legacy`).
        aliases: (suffix) => {
          const own = target.namedBefore(`${name}-${m.name}`, m.name, suffix);
          return [...(own !== `${name}-${m.name}${suffix}` ? [{ name: own }] : []), ...legacy(m.name, target.namedBefore(`${name}-${RPC_NODE_NAME}`, RPC_NODE_NAME, suffix))];
        },
      });
      previous = p.resource;
      if (m.role === "authority") previousSealer = p.resource;
      return p;
    });

    const nodes = members.map((m, i) =>
      pulumi
        .all([
          enodes,
          pulumi.output(m.authority?.address ?? ""),
          m.role === "rpc" ? clientUrl(placed[i]) : pulumi.output(""),
          placed[i].endpoint ?? pulumi.output(""),
          placed[i].stackUrl(METRICS_PORT, CLIENT_METRICS_PATH[spec.client]),
        ])
        .apply(([e, signer, rpcUrl, endpoint, metricsUrl]): FleetNode => ({
          name: m.name,
          member: m.member,
          role: m.role,
          ...(signer ? { signer } : {}),
          ...(rpcUrl ? { rpcUrl } : {}),
          ...(m.role === "authority" && endpoint ? { ipcPath: endpoint } : {}),
          metricsUrl,
          enode: e[i],
        })),
    );
    const byMember = (url: (p: Placed) => pulumi.Output<string>) =>
      pulumi.all(members.flatMap((m, i) => (m.role === "rpc" ? [url(placed[i]).apply((u) => [m.member, u] as const)] : []))).apply((entries) => Object.fromEntries(entries));

    this.nodes = pulumi.all(nodes);
    this.enodes = enodes;
    this.memberRpcUrls = byMember(clientUrl);
    this.memberStackRpcUrls = byMember((p) => p.stackUrl("rpc"));
    if (primary) this.rpcUrl = clientUrl(placed[members.findIndex((m) => m.name === primary.name)]);
    this.registerOutputs({ ...(this.rpcUrl ? { rpcUrl: this.rpcUrl } : {}), memberRpcUrls: this.memberRpcUrls, enodes: this.enodes, nodes: this.nodes });
  }
}
