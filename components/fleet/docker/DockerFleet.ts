import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { ContainerNode } from "../../../render/containerFleet";
import { LABELS } from "../../../render/docker/container";
import { dockerFleetLayout, DockerFleetPlan, planShape, renderDockerFleet } from "../../../render/docker/fleet";
import { ChainFile } from "../../../render/runSpec";
import { resolveSecretFiles } from "../../../render/secrets";
import { ConsortiumSpec, RPC_NODE_NAME, rpcNodeName } from "../../../settings/consortium";
import { GeneratedKey } from "../../keys/GeneratedKey";
import type { FleetAuthority } from "../NodeFleet";
import { sealsWithNodeKey } from "../../../settings/clients";
import { healthcheckArgs, imageAfter, labelList, oneShotArgs, uploads, volumeMounts } from "./containerArgs";
import { engineOptions } from "./engines";

export interface DockerFleetNode {
  name: string;
  /** The member organisation that runs it (on its Docker host). */
  member: string;
  /** `authority`: seals, serves no RPC; `rpc`: the member's non-signing RPC node. */
  role: "authority" | "rpc";
  /** Container name on its Docker host. */
  container: string;
  /** RPC nodes: their JSON-RPC URL as seen from their Docker host (the published port). */
  rpcUrl?: string;
  enode: string;
  signer?: string;
}

export interface DockerFleetArgs {
  /** Validated consortium spec with `fleet.target: docker` (images, hosts per member, rpcBind). */
  spec: ConsortiumSpec;
  /** Authorities run by this stack: one sealing node each, on its member's Docker host. */
  authorities: FleetAuthority[];
  /** enode URLs of nodes run elsewhere to peer with. */
  externalPeers?: pulumi.Input<string[]>;
  /** The chain definition file (geth genesis / chainspec). A new one is a new chain: node volumes are replaced. */
  chain: pulumi.Input<ChainFile>;
  /** Subnet of the consortium's own network when every node runs on one Docker engine (default 10.213.0.0/24). */
  subnet?: string;
  /** Host port of the first RPC node on each Docker engine, at `fleet.rpcBind` (default 8545; the next ones count up). */
  rpcHostPort?: number;
  /** Image of the prepare step; it must provide `busybox chown` (default busybox:1.36.1). */
  helperImage?: string;
}

/**
 * The node fleet of a consortium on the `docker` target: every authority, plus a non-signing RPC node per member
 * (`rpc-<member>`, with `fleet.rpcNode`), as a container of its client's pinned image, on its member's Docker host
 * (`fleet.hosts`, over a provider per host) or on the default engine. Per node: a volume at /node, a one-shot prepare
 * container that receives the files (key files — node key, keystore, password — 0600, owned by uid 10001), the
 * client's init as one-shot containers, and the node container (uid 10001, restart unless-stopped, healthcheck).
 * One engine: static IPs on the consortium's network; several hosts: p2p ports published on each member's host
 * address. Authorities serve no HTTP at all (their healthcheck goes over IPC inside the container); only the RPC
 * nodes' RPC ports are published.
 */
export class DockerFleet extends pulumi.ComponentResource {
  /** JSON-RPC endpoint for clients, as seen from the Docker host that runs it: the first authority's member's RPC node. */
  readonly rpcUrl?: pulumi.Output<string>;
  /** Each member's RPC node's URL (as seen from its Docker host), by member. */
  readonly memberRpcUrls: pulumi.Output<Record<string, string>>;
  readonly enodes: pulumi.Output<string[]>;
  readonly nodes: pulumi.Output<DockerFleetNode[]>;

  constructor(name: string, args: DockerFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Args stay out of `super`: they hold secrets, and component args are saved in state.
    super("consortium:fleet:DockerFleet", name, {}, opts);
    const { spec } = args;
    const fail = (msg: string) => new pulumi.ResourceError(`DockerFleet ${name}: ${msg}`, this);
    if (spec.fleet.target !== "docker") throw fail(`fleet target is ${spec.fleet.target}, not docker`);
    if (args.authorities.length === 0) throw fail("no authority to run");
    const fleet = spec.fleet;

    // Authorities first, then each member's RPC node, on that member's host. Shapes and layout are validated before
    // anything is declared.
    const memberOf = (node: string) => spec.authorities.find((s) => s.name === node)?.member;
    const authorityShapes = args.authorities.map((a) => ({ name: a.name, member: memberOf(a.name) ?? "", sealer: true }));
    const unknown = authorityShapes.find((s) => !s.member);
    if (unknown) throw fail(`authority ${unknown.name} is not in the spec`);
    const rpcMembers = fleet.rpcNode ? [...new Set(authorityShapes.map((a) => a.member))] : [];
    const shapes = [...authorityShapes, ...rpcMembers.map((member) => ({ name: rpcNodeName(member), member, sealer: false }))];
    const options = { subnet: args.subnet, rpcHostPort: args.rpcHostPort, helperImage: args.helperImage };
    let layout: DockerFleetPlan;
    try {
      layout = dockerFleetLayout({ spec, ...options, nodes: shapes });
    } catch (e) {
      throw fail((e as Error).message);
    }

    // The first member's RPC node was the stack's single RPC node "rpc" before: aliases keep its key and make the
    // rename a replacement (old container removed first, so its published port is free), not a second container.
    const primary = rpcMembers.length > 0 ? rpcNodeName(rpcMembers[0]) : undefined;
    const legacy = (node: string, old: string) => (node === primary ? { aliases: [{ name: old }] } : {});
    const members = shapes.map((s, i) => {
      const a = args.authorities[i] as FleetAuthority | undefined;
      if (a) return { ...s, authority: a, nodeKey: a.nodeKey, nodePublicKey: a.nodePublicKey };
      const key = new GeneratedKey(`${name}-${s.name}-node`, { kind: "node" }, { parent: this, ...legacy(s.name, `${name}-${RPC_NODE_NAME}-node`) });
      return { ...s, authority: undefined, nodeKey: key.privateKey.apply((k) => k!), nodePublicKey: key.publicKey.apply((k) => k!) };
    });

    const containerNodes: pulumi.Input<ContainerNode>[] = members.map((m) =>
      pulumi.all([m.nodePublicKey, m.authority?.address ?? "", m.authority?.keystore ?? ""]).apply(([nodePublicKey, address, keystore]) => ({
        name: m.name,
        member: m.member,
        nodePublicKey,
        sealer: m.sealer,
        ...(m.authority && !sealsWithNodeKey(spec.engine) ? { signer: { address, keystore } } : {}),
      })),
    );
    const plan = pulumi.all([pulumi.all(containerNodes), pulumi.output(args.chain), pulumi.output(args.externalPeers ?? [])]).apply(([nodes, chain, externalPeers]) => {
      const p = renderDockerFleet({ spec, ...options, nodes, chain, externalPeers });
      if (planShape(p).join("\n") !== planShape(layout).join("\n")) throw new Error(`DockerFleet ${name}: the rendered plan differs in shape from its layout`);
      return p;
    });
    const chainDigest = pulumi.output(args.chain).apply((c) => createHash("sha256").update(c.content).digest("hex"));

    // Per engine: a provider (remote hosts), the pinned client and helper images, the consortium's network.
    const engines = new Map(
      layout.networks.map((net) => {
        const res = engineOptions(name, net.engine, this);
        const image = (ref: string, what: string) => new docker.RemoteImage(`${name}-${net.engine.key}-${what}-image`, { name: ref, keepLocally: true }, res);
        const network = new docker.Network(
          `${name}-${net.engine.key}-net`,
          { name: net.name, driver: "bridge", labels: labelList(net.labels), ...(net.subnet ? { ipamConfigs: [{ subnet: net.subnet }] } : {}) },
          res,
        );
        return [net.engine.key, { res, network, client: image(fleet.images[spec.client], spec.client), helper: image(layout.containers[0].prepare.image, "helper") }] as const;
      }),
    );

    // Rolling changes: each node's steps wait for the node before it, so a new image or config replaces one node
    // at a time (the node container waits until healthy), and the others keep sealing meanwhile.
    let previousNode: docker.Container | undefined;
    const nodes = members.map((m, i) => {
      const shape = layout.containers[i];
      const { res, network, client, helper } = engines.get(shape.engine.key)!;
      const c = plan.apply((p) => p.containers[i]);
      // Resource names of the old single RPC node ("<name>-rpc-…"), for the primary member's RPC node.
      const was = (suffix: string) => legacy(m.name, `${name}-${RPC_NODE_NAME}${suffix}`);
      const volume = new docker.Volume(
        `${name}-${m.name}-data`,
        { name: shape.volume.volume, labels: chainDigest.apply((digest) => labelList({ ...shape.labels, [LABELS.chain]: digest })) },
        { ...res, deleteBeforeReplace: true, ...was("-data") },
      );
      const secretValues = pulumi.secret(
        pulumi
          .all([c.secretFiles, m.nodeKey, m.authority?.password ?? "", m.authority?.keystore ?? ""])
          .apply(([files, nodeKey, password, keystore]) =>
            resolveSecretFiles(Object.fromEntries(files.map((f) => [f.path, f.source])), { nodeKey, ...(m.authority ? { password, keystore } : {}) }),
          ),
      );
      const prepare = new docker.Container(
        `${name}-${m.name}-prepare`,
        {
          ...oneShotArgs(c.prepare),
          image: helper.imageId,
          mounts: volumeMounts(c, volume.name),
          uploads: uploads(c, secretValues),
          labels: labelList({ ...shape.labels, [LABELS.role]: "prepare" }),
        },
        { ...res, deleteBeforeReplace: true, additionalSecretOutputs: ["uploads"], ...(previousNode ? { dependsOn: [previousNode] } : {}), ...was("-prepare") },
      );
      // Each step is labelled with the id of the one before: a new prepare (new files) re-runs init and replaces the node.
      const steps: { name: string; id: pulumi.Output<string>; exitCode: pulumi.Output<number> }[] = [{ name: shape.prepare.name, id: prepare.id, exitCode: prepare.exitCode }];
      shape.init.forEach((s, k) => {
        const before = steps[steps.length - 1];
        const init = new docker.Container(
          `${name}-${m.name}-init${shape.init.length > 1 ? `-${k}` : ""}`,
          {
            ...oneShotArgs(c.init.apply((all) => all[k])),
            image: imageAfter(client.imageId, [before]),
            mounts: volumeMounts(c, volume.name),
            labels: before.id.apply((after) => labelList({ ...shape.labels, [LABELS.role]: "init", [LABELS.after]: after })),
          },
          { ...res, deleteBeforeReplace: true, ...was(`-init${shape.init.length > 1 ? `-${k}` : ""}`) },
        );
        steps.push({ name: s.name, id: init.id, exitCode: init.exitCode });
      });
      const last = steps[steps.length - 1];
      const container = new docker.Container(
        `${name}-${m.name}`,
        {
          name: shape.name,
          image: imageAfter(client.imageId, steps),
          user: c.user,
          entrypoints: c.entrypoint,
          command: c.command,
          workingDir: c.workingDir,
          envs: c.env.apply((env) => Object.entries(env).map(([k, v]) => `${k}=${v}`)),
          restart: c.restart,
          mounts: volumeMounts(c, volume.name),
          networksAdvanced: [{ name: network.name, ...(shape.network.ipv4Address ? { ipv4Address: c.network.apply((n) => n.ipv4Address!) } : {}) }],
          ports: c.ports.apply((ps) => ps.map((p) => ({ internal: p.internal, external: p.external, ip: p.ip, protocol: p.protocol }))),
          labels: last.id.apply((after) => labelList({ ...shape.labels, [LABELS.role]: "node", [LABELS.after]: after })),
          ...(shape.healthcheck ? { healthcheck: c.apply((d) => healthcheckArgs(d.healthcheck!)), wait: true, waitTimeout: 120 } : {}),
          mustRun: true,
          // geth flushes its state on SIGTERM: give it time before a replacement removes the container.
          destroyGraceSeconds: 30,
        },
        { ...res, deleteBeforeReplace: true, ...was("") },
      );
      previousNode = container;
      return pulumi.all([container.name, plan, m.authority?.address ?? ""]).apply(([containerName, p, signer]): DockerFleetNode => {
        const rpcUrl = p.rpcNodes.find((r) => r.node === m.name)?.url;
        return {
          name: m.name,
          member: m.member,
          role: m.sealer ? "authority" : "rpc",
          container: containerName,
          ...(rpcUrl ? { rpcUrl } : {}),
          enode: p.enodes[i],
          ...(signer ? { signer } : {}),
        };
      });
    });

    this.nodes = pulumi.all(nodes);
    this.enodes = plan.enodes;
    this.memberRpcUrls = plan.apply((p) => Object.fromEntries(p.rpcNodes.map((r) => [r.member, r.url])));
    if (layout.rpcUrl !== undefined) this.rpcUrl = plan.apply((p) => p.rpcUrl!);
    this.registerOutputs({ ...(this.rpcUrl ? { rpcUrl: this.rpcUrl } : {}), memberRpcUrls: this.memberRpcUrls, enodes: this.enodes, nodes: this.nodes });
  }
}
