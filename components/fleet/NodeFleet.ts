import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { ConsortiumSpec } from "../../spec/consortium";
import { LocalFleetNode, localEnodes, renderLocalFleet } from "../../render/geth/localFleet";
import { RPC_NODE_NAME } from "../../render/runSpec";
import { ChainFile } from "../../render/runSpec";
import { resolveSecretFiles } from "../../render/secrets";
import { localSlots } from "../../render/validators/slots";
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

export interface FleetNode {
  name: string;
  signer?: string;
  rpcUrl: string;
  enode: string;
}

/**
 * The node fleet of a consortium on the `local` target: every authority as a geth process on this machine
 * (plus an optional non-signing RPC node), statically peered over loopback, each with its own data directory,
 * 0600 key files and log file.
 */
export class NodeFleet extends pulumi.ComponentResource {
  /** JSON-RPC endpoint for clients: the RPC node when there is one, else the first authority. */
  readonly rpcUrl: pulumi.Output<string>;
  readonly enodes: pulumi.Output<string[]>;
  readonly nodes: pulumi.Output<FleetNode[]>;

  constructor(name: string, args: NodeFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Args stay out of `super`: they hold secrets, and component args are saved in state.
    super("consortium:fleet:NodeFleet", name, {}, opts);
    const { spec } = args;
    if (spec.fleet.target !== "local") throw new pulumi.ResourceError(`NodeFleet ${name}: target ${spec.fleet.target} is not implemented`, this);
    if (args.authorities.length === 0) throw new pulumi.ResourceError(`NodeFleet ${name}: no authority to run locally`, this);
    if (!args.workDir.startsWith("/")) throw new pulumi.ResourceError(`NodeFleet ${name}: workDir must be absolute, got ${args.workDir}`, this);

    const block = new PortBlock(`${name}-ports`, { owner: args.owner, registryRoot: args.portRegistry, holderDir: args.workDir }, { parent: this });
    // A new genesis is a new chain: nodes are replaced (data wiped) when it changes.
    const resetKey = pulumi.output(args.chain).apply((c) => createHash("sha256").update(c.content).digest("hex"));

    // Authorities first, then the RPC node, which gets a node key of its own.
    const rpcKey = spec.fleet.rpcNode ? new GeneratedKey(`${name}-rpc-node`, { kind: "node" }, { parent: this }) : undefined;
    // Stable port slots, so validator changes move no other node.
    const slots = localSlots(spec.authorities);
    const members = [
      ...args.authorities.map((a) => ({ name: a.name, authority: a as FleetAuthority | undefined, nodeKey: a.nodeKey, nodePublicKey: a.nodePublicKey, slot: slots.authorities.get(a.name) })),
      ...(rpcKey
        ? [{ name: RPC_NODE_NAME, authority: undefined, nodeKey: rpcKey.privateKey.apply((k) => k!), nodePublicKey: rpcKey.publicKey.apply((k) => k!), slot: slots.rpc }]
        : []),
    ];
    const fleetNodes: pulumi.Input<LocalFleetNode>[] = members.map((m) =>
      pulumi.all([m.nodePublicKey, m.authority?.address ?? "", m.authority?.keystore ?? ""]).apply(([nodePublicKey, address, keystore]) => ({
        name: m.name,
        nodePublicKey,
        ...(m.slot !== undefined ? { slot: m.slot } : {}),
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
      const runSpec = runSpecs.apply((specs) => specs[i]);
      const secretFiles = pulumi.secret(
        pulumi
          .all([runSpec.secretFiles, m.nodeKey, m.authority?.password ?? ""])
          .apply(([files, nodeKey, password]) => resolveSecretFiles(files, { nodeKey, ...(m.authority ? { password } : {}) })),
      );
      const proc = new LocalNodeProcess(
        m.name,
        {
          name: m.name,
          dir: join(args.workDir, m.name),
          command: runSpec.command,
          args: runSpec.args,
          env: runSpec.env,
          files: runSpec.files,
          secretFiles,
          init: runSpec.init,
          rpcUrl: runSpec.rpcUrl,
          ports: runSpec.ports.apply((p) => [p.p2p, p.http, p.authrpc]),
          resetKey,
        },
        { parent: this, dependsOn: previous ? [block, previous] : [block] },
      );
      previous = proc;
      return pulumi.all([proc.rpcUrl, enodes, m.authority?.address ?? ""]).apply(([rpcUrl, e, signer]) => ({
        name: m.name,
        rpcUrl,
        enode: e[i],
        ...(signer ? { signer } : {}),
      }));
    });

    this.nodes = pulumi.all(nodes);
    this.enodes = enodes;
    this.rpcUrl = nodes[rpcKey ? members.length - 1 : 0].apply((n) => n.rpcUrl);
    this.registerOutputs({ rpcUrl: this.rpcUrl, enodes: this.enodes, nodes: this.nodes });
  }
}
