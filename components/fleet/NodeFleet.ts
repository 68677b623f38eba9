import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { ConsortiumSpec, RPC_NODE_NAME } from "../../settings/consortium";
import { ipcSocketPath, listeningPorts, localEndpoint, LocalFleetNode, localEnodes, localFleetLayout, renderLocalFleet } from "../../render/geth/localFleet";
import { GETH_FILES } from "../../render/geth/node";
import { ChainFile } from "../../render/runSpec";
import { resolveSecretFiles } from "../../render/secrets";
import { GeneratedKey } from "../keys/GeneratedKey";
import { LocalNodeProcess, PortBlock } from "./local/resources";

/** An authority whose keys this stack holds, so it runs as a sealing node of the fleet. */
export interface FleetAuthority {
  name: string;
  address: pulumi.Input<string>;
  /** Encrypted v3 keystore (JSON text). */
  keystore: pulumi.Input<string>;
  /** Secret: keystore password. */
  password: pulumi.Input<string>;
  /** Secret: devp2p node private key. */
  nodeKey: pulumi.Input<string>;
  nodePublicKey: pulumi.Input<string>;
}

export interface NodeFleetArgs {
  /** Validated consortium spec (plain data, validated before any resource is declared). */
  spec: ConsortiumSpec;
  /** Authorities run by this stack: one sealing node each. */
  authorities: FleetAuthority[];
  /** enode URLs of nodes run elsewhere (members' own machines) to peer with. */
  externalPeers?: pulumi.Input<string[]>;
  /** The chain definition file (geth genesis). */
  chain: pulumi.Input<ChainFile>;
  /** geth executable on this machine. */
  geth: string;
  /** Absolute directory that holds one sub-directory per node. */
  workDir: string;
  /** Root of the per-user port registry (lib/ports.ts). */
  portRegistry: string;
  /** Unique holder name of the port block, e.g. "<project>/<stack>". */
  owner: string;
}

/** A node of a fleet, as the stack outputs it (every target). */
export interface FleetNode {
  name: string;
  /** The member organisation that runs it. */
  member: string;
  /** `authority`: seals, holds a signer key, serves no HTTP; `rpc`: the member's non-signing RPC node. */
  role: "authority" | "rpc";
  signer?: string;
  /** JSON-RPC over HTTP: RPC nodes only. */
  rpcUrl?: string;
  /** Local authorities: the absolute path of their IPC socket, reachable by the node's user only (votes, checks). */
  ipcPath?: string;
  enode: string;
}

/**
 * The node fleet of a consortium on the `local` target: every authority as a geth process on this machine, plus a
 * non-signing RPC node per member (`rpc-<member>`, with `fleet.rpcNode`), statically peered over loopback, each with
 * its own 0700 directory, 0600 key files and log file. Authorities serve no HTTP: only IPC, in their data directory.
 */
export class NodeFleet extends pulumi.ComponentResource {
  /** JSON-RPC endpoint for clients: the RPC node of the first authority's member; absent without RPC nodes. */
  readonly rpcUrl?: pulumi.Output<string>;
  /** Each member's RPC node's URL, by member (empty without RPC nodes). */
  readonly memberRpcUrls: pulumi.Output<Record<string, string>>;
  readonly enodes: pulumi.Output<string[]>;
  readonly nodes: pulumi.Output<FleetNode[]>;

  constructor(name: string, args: NodeFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Args stay out of `super`: they hold secrets, and component args are saved in state.
    super("consortium:fleet:NodeFleet", name, {}, opts);
    const { spec } = args;
    const fail = (why: string) => new pulumi.ResourceError(`NodeFleet ${name}: ${why}`, this);
    if (spec.fleet.target !== "local") throw fail(`target ${spec.fleet.target} is not implemented`);
    if (args.authorities.length === 0) throw fail("no authority to run locally");
    if (!args.workDir.startsWith("/")) throw fail(`workDir must be absolute, got ${args.workDir}`);

    // Authorities first, then each member's RPC node; stable port slots, so validator changes move no other node.
    let layout: ReturnType<typeof localFleetLayout>;
    try {
      layout = localFleetLayout(spec, args.authorities.map((a) => a.name));
      // Votes and readiness checks reach the authorities over their IPC sockets: each path must fit a unix socket.
      for (const n of layout) if (n.role === "authority") ipcSocketPath(n.name, join(args.workDir, n.name), GETH_FILES.ipc);
    } catch (e) {
      throw fail((e as Error).message);
    }
    const primary = layout.find((n) => n.role === "rpc");

    const block = new PortBlock(`${name}-ports`, { owner: args.owner, registryRoot: args.portRegistry, holderDir: args.workDir }, { parent: this });
    // A new genesis is a new chain: nodes are replaced (data wiped) when it changes.
    const resetKey = pulumi.output(args.chain).apply((c) => createHash("sha256").update(c.content).digest("hex"));

    // The first member's RPC node was the stack's single RPC node "rpc" before: the aliases keep its key (enode) and
    // turn the rename into a replacement (old process stopped first), not a second process on the same ports.
    const legacy = (n: { name: string }, old: string) => (n.name === primary?.name ? { aliases: [{ name: old }] } : {});
    const members = layout.map((n) => {
      const authority = args.authorities.find((a) => a.name === n.name);
      if (authority) return { ...n, authority, nodeKey: authority.nodeKey, nodePublicKey: authority.nodePublicKey };
      const key = new GeneratedKey(`${name}-${n.name}-node`, { kind: "node" }, { parent: this, ...legacy(n, `${name}-${RPC_NODE_NAME}-node`) });
      return { ...n, authority: undefined, nodeKey: key.privateKey.apply((k) => k!), nodePublicKey: key.publicKey.apply((k) => k!) };
    });
    const fleetNodes: pulumi.Input<LocalFleetNode>[] = members.map((m) =>
      pulumi.all([m.nodePublicKey, m.authority?.address ?? "", m.authority?.keystore ?? ""]).apply(([nodePublicKey, address, keystore]) => ({
        name: m.name,
        nodePublicKey,
        slot: m.slot,
        ...(m.authority ? { signer: { address, keystore } } : {}),
      })),
    );
    const runSpecs = pulumi
      .all([block.base, pulumi.all(fleetNodes), pulumi.output(args.chain), pulumi.output(args.externalPeers ?? [])])
      .apply(([basePort, nodes, chain, externalPeers]) => renderLocalFleet({ spec, geth: args.geth, chain, basePort, nodes, externalPeers }));
    const enodes = pulumi.all([block.base, pulumi.all(fleetNodes)]).apply(([base, nodes]) => localEnodes(nodes, base));

    // One node at a time (each depends on the previous): a change that restarts every node, e.g. new static peers
    // when an authority joins or retires, leaves the others sealing.
    let previous: LocalNodeProcess | undefined;
    const nodes = members.map((m, i) => {
      const dir = join(args.workDir, m.name);
      const runSpec = runSpecs.apply((specs) => specs[i]);
      const secretFiles = pulumi.secret(
        pulumi
          .all([runSpec.secretFiles, m.nodeKey, m.authority?.password ?? "", m.authority?.keystore ?? ""])
          .apply(([files, nodeKey, password, keystore]) => resolveSecretFiles(files, { nodeKey, ...(m.authority ? { password, keystore } : {}) })),
      );
      const proc = new LocalNodeProcess(
        m.name,
        {
          name: m.name,
          dir,
          command: runSpec.command,
          args: runSpec.args,
          env: runSpec.env,
          files: runSpec.files,
          secretFiles,
          init: runSpec.init,
          // RPC nodes answer over HTTP; authorities only over their IPC socket (absolute path on this machine).
          rpcUrl: runSpec.apply((r) => localEndpoint(r, dir)),
          ports: runSpec.apply(listeningPorts),
          resetKey,
        },
        { parent: this, dependsOn: previous ? [block, previous] : [block], ...legacy(m, RPC_NODE_NAME) },
      );
      previous = proc;
      return pulumi.all([proc.rpcUrl, enodes, m.authority?.address ?? ""]).apply(([endpoint, e, signer]): FleetNode => ({
        name: m.name,
        member: m.member,
        role: m.role,
        ...(signer ? { signer } : {}),
        ...(m.role === "rpc" ? { rpcUrl: endpoint } : { ipcPath: endpoint }),
        enode: e[i],
      }));
    });

    this.nodes = pulumi.all(nodes);
    this.enodes = enodes;
    this.memberRpcUrls = this.nodes.apply((ns) => Object.fromEntries(ns.filter((n) => n.role === "rpc").map((n) => [n.member, n.rpcUrl!])));
    if (primary) this.rpcUrl = nodes[members.findIndex((m) => m.name === primary.name)].apply((n) => n.rpcUrl!);
    this.registerOutputs({ ...(this.rpcUrl ? { rpcUrl: this.rpcUrl } : {}), memberRpcUrls: this.memberRpcUrls, enodes: this.enodes, nodes: this.nodes });
  }
}
