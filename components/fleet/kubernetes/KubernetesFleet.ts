import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CONTAINER_RPC_PORT, ContainerNode, containerEnodes, containerPorts, renderContainerFleet } from "../../../render/containerFleet";
import { RPC_NODE_NAME, rpcNodeName } from "../../../render/runSpec";
import { renderDisruptionBudget } from "../../../render/kubernetes/disruptionBudget";
import { renderConfigMap, secretData } from "../../../render/kubernetes/files";
import { kubernetesAdvertise } from "../../../render/kubernetes/fleet";
import { configMapName, K8sObject, KubeContext, kubeContext, KubeNode, NodeRef, NodeRole, nodeMeta, secretName, serviceDns } from "../../../render/kubernetes/meta";
import { renderNamespace } from "../../../render/kubernetes/namespace";
import { renderNetworkPolicy } from "../../../render/kubernetes/networkPolicy";
import { renderService } from "../../../render/kubernetes/service";
import { renderStatefulSet } from "../../../render/kubernetes/statefulSet";
import { ChainFile } from "../../../render/runSpec";
import { resolveSecretFiles } from "../../../render/secrets";
import { ConsortiumSpec } from "../../../settings/consortium";
import { DNS_LABEL } from "../../../settings/fields";
import { GeneratedKey } from "../../keys/GeneratedKey";
import { FleetNode } from "../NodeFleet";

/** An authority whose keys this stack holds: one sealing node of the fleet. */
export interface KubernetesFleetAuthority {
  /** Node name (a DNS label): names its StatefulSet, Service, ConfigMap and Secret, and its DNS name. */
  name: string;
  /** The member organisation that runs it. */
  member: string;
  /** devp2p node public key (enode id, 128 hex digits). */
  nodePublicKey: pulumi.Input<string>;
  /** Clique/AuRa signer: address and encrypted v3 keystore (JSON text). Absent for QBFT validators, which seal with the node key. */
  signer?: { address: pulumi.Input<string>; keystore: pulumi.Input<string> };
  /** Secret: devp2p node private key. */
  nodeKey: pulumi.Input<string>;
  /** Secret: keystore password; required with `signer`. */
  password?: pulumi.Input<string>;
}

export interface KubernetesFleetArgs {
  /** Validated consortium spec whose fleet target is `kubernetes`. */
  spec: ConsortiumSpec;
  /** Authorities run by this stack: one sealing node each. */
  authorities: KubernetesFleetAuthority[];
  /** The chain definition file (genesis / chainspec). */
  chain: pulumi.Input<ChainFile>;
  /** enode URLs of nodes run elsewhere (members' own machines) to peer with. */
  externalPeers?: pulumi.Input<string[]>;
}

interface Member {
  role: NodeRole;
  name: string;
  member: string;
  nodePublicKey: pulumi.Input<string>;
  signer?: KubernetesFleetAuthority["signer"];
  nodeKey: pulumi.Input<string>;
  password?: pulumi.Input<string>;
}

// Rendered objects are plain JSON, checked against the Kubernetes schemas in tests; the SDK's arg types are not restated.
const sdkArgs = <T>(o: object) => o as unknown as T;
const field = (o: pulumi.Output<K8sObject>, name: string) => o.apply((x) => x[name]);

/**
 * The node fleet of a consortium on Kubernetes: a namespace, and per node a StatefulSet with its PVC, a
 * Service peers dial, a ConfigMap and a Secret with its files (node key, signer keystore and password in the
 * Secret), a NetworkPolicy, and for authorities a PodDisruptionBudget (render/kubernetes/ explains each). Every
 * authority's member also gets a non-signing RPC node `rpc-<member>` (with `fleet.rpcNode`): the only pods with an
 * RPC port; authorities admit p2p only. Secrets are retained on delete: keys survive a teardown.
 * Pass a Kubernetes provider in `opts.provider` to target a cluster other than the ambient kubeconfig's.
 */
export class KubernetesFleet extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  /** In-cluster JSON-RPC endpoint: the RPC node Service of the first authority's member; absent without RPC nodes. */
  readonly rpcUrl?: pulumi.Output<string>;
  /** Each member's RPC node Service URL (in-cluster), by member. */
  readonly memberRpcUrls: pulumi.Output<Record<string, string>>;
  readonly enodes: pulumi.Output<string[]>;
  readonly nodes: pulumi.Output<FleetNode[]>;

  constructor(name: string, args: KubernetesFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Args stay out of `super`: they hold secrets, and component args are saved in state.
    super("consortium:fleet:KubernetesFleet", name, {}, opts);
    const ctx = this.validate(name, args);

    // Authorities first, then each member's RPC node, with a node key of its own. The first member's key keeps the
    // name of the single RPC node's key of earlier versions (alias): same enode.
    const rpcMembers = ctx.fleet.rpcNode ? [...new Set(args.authorities.map((a) => a.member))] : [];
    const members: Member[] = [
      ...args.authorities.map((a) => ({ role: "authority" as const, ...a })),
      ...rpcMembers.map((member, k): Member => {
        const node = rpcNodeName(member);
        const key = new GeneratedKey(`${name}-${node}-node`, { kind: "node" }, { parent: this, ...(k === 0 ? { aliases: [{ name: `${name}-${RPC_NODE_NAME}-node` }] } : {}) });
        return { role: "rpc", name: node, member, nodeKey: key.privateKey.apply((x) => x!), nodePublicKey: key.publicKey.apply((x) => x!) };
      }),
    ];

    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, sdkArgs(renderNamespace(ctx)), { parent: this });
    const child = { parent: this, dependsOn: [namespace] };
    const containerNodes = pulumi.all(
      members.map((m) =>
        pulumi.all([m.nodePublicKey, m.signer?.address ?? "", m.signer?.keystore ?? ""]).apply(
          ([nodePublicKey, address, keystore]): ContainerNode => ({
            name: m.name,
            member: m.member,
            nodePublicKey,
            sealer: m.role === "authority",
            ...(m.signer ? { signer: { address, keystore } } : {}),
          }),
        ),
      ),
    );
    const advertise = kubernetesAdvertise(ctx);
    const chain = pulumi.output(args.chain);
    const runSpecs = pulumi
      .all([containerNodes, chain, pulumi.output(args.externalPeers ?? [])])
      .apply(([nodes, c, externalPeers]) => renderContainerFleet({ spec: ctx.spec, chain: c, nodes, advertise, externalPeers }));
    const enodes = containerNodes.apply((nodes) => containerEnodes({ nodes, advertise }));

    members.forEach((m, i) => {
      // Plain: everything but the files and the workload is known before any key exists.
      const ref: NodeRef = { role: m.role, run: { name: m.name, ports: containerPorts(i) } };
      const node = runSpecs.apply((specs): KubeNode => ({ role: m.role, run: specs[i] }));
      const res = (suffix: string) => `${name}-${m.name}-${suffix}`;

      const configMap = new k8s.core.v1.ConfigMap(
        res("files"),
        { metadata: nodeMeta(ctx, ref, configMapName(m.name)), data: field(node.apply((n) => renderConfigMap(ctx, n)), "data") as pulumi.Output<Record<string, string>> },
        child,
      );
      const values = pulumi
        .all([node, pulumi.secret(m.nodeKey), pulumi.secret(m.password ?? ""), m.signer?.keystore ?? ""])
        .apply(([n, nodeKey, password, keystore]) =>
          resolveSecretFiles(n.run.secretFiles, { nodeKey, ...(m.password !== undefined ? { password } : {}), ...(m.signer ? { keystore } : {}) }),
        );
      const secret = new k8s.core.v1.Secret(
        res("keys"),
        { metadata: nodeMeta(ctx, ref, secretName(m.name)), type: "Opaque", data: pulumi.secret(pulumi.all([node, values]).apply(([n, v]) => secretData(n.run, v))) },
        // Keys outlive the stack's resources: `pulumi destroy` leaves the Secret in the cluster.
        { ...child, retainOnDelete: true },
      );
      const statefulSet = node.apply((n) => renderStatefulSet(ctx, n));
      new k8s.apps.v1.StatefulSet(
        res("node"),
        { metadata: nodeMeta(ctx, ref), spec: sdkArgs<k8s.types.input.apps.v1.StatefulSetSpec>(field(statefulSet, "spec")) },
        { ...child, dependsOn: [namespace, configMap, secret] },
      );
      new k8s.core.v1.Service(res("service"), sdkArgs(renderService(ctx, ref)), child);
      new k8s.networking.v1.NetworkPolicy(res("network-policy"), sdkArgs(renderNetworkPolicy(ctx, ref)), child);
      if (m.role === "authority") new k8s.policy.v1.PodDisruptionBudget(res("disruption-budget"), sdkArgs(renderDisruptionBudget(ctx, ref)), child);
    });

    const rpcUrlOf = (node: string) => `http://${serviceDns(node, ctx.fleet.namespace)}:${CONTAINER_RPC_PORT}`;
    this.namespace = namespace.metadata.name;
    this.enodes = enodes;
    this.memberRpcUrls = pulumi.output(Object.fromEntries(rpcMembers.map((member) => [member, rpcUrlOf(rpcNodeName(member))])));
    if (rpcMembers.length > 0) this.rpcUrl = pulumi.output(rpcUrlOf(rpcNodeName(rpcMembers[0])));
    this.nodes = pulumi.all([enodes, pulumi.all(members.map((m) => m.signer?.address ?? ""))]).apply(([e, signers]) =>
      members.map(
        (m, i): FleetNode => ({
          name: m.name,
          member: m.member,
          role: m.role,
          ...(signers[i] ? { signer: signers[i] } : {}),
          ...(m.role === "rpc" ? { rpcUrl: rpcUrlOf(m.name) } : {}),
          enode: e[i],
        }),
      ),
    );
    this.registerOutputs({ namespace: this.namespace, ...(this.rpcUrl ? { rpcUrl: this.rpcUrl } : {}), memberRpcUrls: this.memberRpcUrls, enodes: this.enodes, nodes: this.nodes });
  }

  /** Every bad argument that plain data reveals, before any child exists. */
  private validate(name: string, args: KubernetesFleetArgs): KubeContext {
    const fail = (why: string) => new pulumi.ResourceError(`KubernetesFleet ${name}: ${why}`, this);
    if (args.spec.fleet.target !== "kubernetes") throw fail(`fleet target is ${args.spec.fleet.target}, not kubernetes`);
    if (args.authorities.length === 0) throw fail("no authority to run");
    const ctx = kubeContext(args.spec);
    const rpcNames = ctx.fleet.rpcNode ? [...new Set(args.authorities.map((a) => rpcNodeName(a.member)))] : [];
    const names = [...args.authorities.map((a) => a.name), ...rpcNames];
    names.forEach((n, i) => {
      if (!DNS_LABEL.test(n)) throw fail(`node name "${n}" is not a DNS label (1-32 lower-case letters, digits and '-')${rpcNames.includes(n) ? ": shorten the member's name" : ""}`);
      if (names.indexOf(n) !== i) throw fail(`two nodes are named "${n}"${rpcNames.includes(n) ? " (a member's RPC node): rename the authority" : ""}`);
    });
    for (const a of args.authorities) {
      if (a.signer && a.password === undefined) throw fail(`authority ${a.name} has a signer keystore but no password`);
    }
    return ctx;
  }
}
