import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesLayout, poolKubeContext, renderKataDeploy } from "../../render/workerPool/kubernetes";
import { PoolChain } from "../../render/workerPool/services";
import { PoolLayout, POOL_GROUPS, renderPoolWorkloads, sshLayout, Wallet, walletValues } from "../../render/workerPool/workloads";
import { KubernetesTargetSpec, SshTargetSpec, WorkerPoolSpec } from "../../settings/workerPool";
import { SignerKey } from "../keys/GeneratedKey";
import { SshHostsTarget } from "../targets/sshHosts/SshHostsTarget";
import { KubernetesTarget } from "../targets/kubernetes/KubernetesTarget";
import type { PlaceArgs, Target } from "../targets/Target";
import { WorkerpoolRegistration } from "./resources";

export interface WorkerPoolArgs {
  /** Validated pool configuration (settings/workerPool.ts). */
  spec: WorkerPoolSpec;
  /** Home chain id (fleet output). */
  chainId: pulumi.Input<number>;
  /** JSON-RPC URL the scheduler side reaches the chain at (fleet output). */
  rpcUrl: pulumi.Input<string>;
  /** JSON-RPC URL this machine registers the workerpool through; defaults to `rpcUrl`. */
  deployRpcUrl?: pulumi.Input<string>;
  /** Block period of the chain, seconds (spec). */
  blockTimeSeconds: pulumi.Input<number>;
  /** PoCo Diamond ("hub") address (PoCo output). */
  hubAddress: pulumi.Input<string>;
  /** PoCo WorkerpoolRegistry address (PoCo output). */
  workerpoolRegistry: pulumi.Input<string>;
  /** Secret: key of the account that registers the workerpool (the stack's contract deployer); it pays the gas. */
  deployerKey: pulumi.Input<string>;
  /** scrypt N of the generated keystores (the consortium's `scryptN`). */
  scryptN?: pulumi.Input<number>;
}

/** A generated key's wallet: the keystore is encrypted; the password stays a secret. */
const walletOf = (k: SignerKey): pulumi.Output<Wallet> => pulumi.all([k.keystore, k.password]).apply(([keystore, password]) => ({ keystore, password }));

/** The type of a host's resource before the SSH-hosts target placed pools (its setup keeps the state by an alias). */
const LEGACY_HOST_TYPE = "pulumi-nodejs:dynamic/workerpool:SshWorkerHost";
/** Where a pool's workloads go: its target, its layout, what they wait for, their earlier resource names. */
interface Placement {
  target: Target;
  layout: PoolLayout;
  dependsOn?: pulumi.Resource[];
  aliases?: (workload: string) => PlaceArgs["aliases"];
}

/** A chain with placeholder values: object names and kinds do not depend on chain values, only their contents do. */
const SHAPE_CHAIN: PoolChain = { chainId: 0, rpcUrl: "", hubAddress: "", poolAddress: "", blockTimeSeconds: 0 };

/**
 * An iExec worker pool whose task containers run under Kata: the scheduler key (owner of the workerpool, which the
 * deployer registers on chain), the scheduler side (iexec-core, blockchain adapter, MongoDB, config server, optional
 * result proxy) and the workers, each with its own generated key, on bare-metal hosts over SSH or on Kubernetes.
 * Keys are `protect`ed and Kubernetes Secrets holding them `retainOnDelete`: wallets survive a teardown.
 */
export class WorkerPool extends pulumi.ComponentResource {
  /** The workerpool's address on chain. */
  readonly address: pulumi.Output<string>;
  /** The scheduler key's address (workerpool owner). */
  readonly owner: pulumi.Output<string>;
  /** Worker addresses, in worker order. */
  readonly workers: pulumi.Output<string[]>;
  readonly coreUrl: pulumi.Output<string>;

  constructor(name: string, args: WorkerPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    // Args stay out of `super`: component args are saved in state.
    super("consortium:workerpool:WorkerPool", name, {}, opts);
    const spec = args.spec;
    this.validate(name, spec);
    const key = (n: string) => new SignerKey(n, args.scryptN !== undefined ? { scryptN: args.scryptN } : {}, { parent: this, protect: true });

    const scheduler = key(`${name}-scheduler-key`);
    const registration = new WorkerpoolRegistration(
      `${name}-registration`,
      {
        rpcUrl: args.deployRpcUrl ?? args.rpcUrl,
        chainId: args.chainId,
        registry: args.workerpoolRegistry,
        description: spec.description,
        owner: scheduler.address,
        deployerKey: args.deployerKey,
      },
      { parent: this },
    );
    const chain: pulumi.Output<PoolChain> = pulumi
      .all([args.chainId, args.rpcUrl, args.hubAddress, registration.address, args.blockTimeSeconds])
      .apply(([chainId, rpcUrl, hubAddress, poolAddress, blockTimeSeconds]) => ({ chainId, rpcUrl, hubAddress, poolAddress, blockTimeSeconds }));

    const placement = spec.target.kind === "ssh" ? this.sshHosts(name, spec, spec.target) : this.cluster(name, spec, spec.target);
    const workerKeys = new Map(placement.layout.workers.map((w) => [w.key, key(`${name}-${w.key}-key`)]));
    const walletOfSlot = (slot: string) => walletOf(slot === "scheduler" ? scheduler : workerKeys.get(slot)!);
    this.placeWorkloads(name, spec, placement, chain, walletOfSlot);

    this.address = registration.address;
    this.owner = scheduler.address;
    this.workers = pulumi.all([...workerKeys.values()].map((k) => k.address));
    this.coreUrl = pulumi.output(placement.layout.coreUrl);
    this.registerOutputs({ address: this.address, owner: this.owner, workers: this.workers, coreUrl: this.coreUrl });
  }

  private validate(name: string, spec: WorkerPoolSpec) {
    const fail = (why: string) => new pulumi.ResourceError(`WorkerPool ${name}: ${why}`, this);
    if (spec.target.kind === "ssh") {
      if (!spec.coreUrl) throw fail("a bare-metal pool needs coreUrl: the URL its workers reach iexec-core at (on the scheduler host)");
      if (spec.target.hosts.every((h) => h.workers === 0)) throw fail("no host runs a worker");
    }
  }

  /** Bare-metal hosts over SSH, each made ready for Kata by its setup. */
  private sshHosts(name: string, spec: WorkerPoolSpec, target: SshTargetSpec): Placement {
    const hosts = new SshHostsTarget(name, { owner: spec.name, spec: target, legacySetup: { type: LEGACY_HOST_TYPE, parent: this } }, { parent: this });
    return { target: hosts, layout: sshLayout(spec, target) };
  }

  /** The pool's namespace in the cluster, where kata-deploy installs Kata and its RuntimeClasses (unless present). */
  private cluster(name: string, spec: WorkerPoolSpec, target: KubernetesTargetSpec): Placement {
    const kata = target.kataDeploy.install ? [new k8s.helm.v3.Release(`${name}-kata-deploy`, renderKataDeploy(target), { parent: this })] : [];
    const cluster = new KubernetesTarget(name, { context: poolKubeContext(spec, target), legacyParent: this }, { parent: this });
    // Earlier versions named a Service after the pool's resource and its object: kept, so the object is not created twice.
    const aliases = (workload: string) => (suffix: string) => (suffix === "-service" ? [{ name: `${name}-${workload}-service` }] : []);
    return { target: cluster, layout: kubernetesLayout(spec, target), dependsOn: kata, aliases };
  }

  /** Sites and places the pool's workloads on its target: the scheduler side's group, then the workers'. */
  private placeWorkloads(name: string, spec: WorkerPoolSpec, placement: Placement, chain: pulumi.Output<PoolChain>, walletOfSlot: (slot: string) => pulumi.Output<Wallet>) {
    const { target, layout } = placement;
    // Names, hosts and ports do not depend on chain values: sited before they are known.
    const shapes = renderPoolWorkloads(spec, layout, SHAPE_CHAIN);
    for (const group of Object.values(POOL_GROUPS)) {
      const requests = shapes
        .filter((p) => p.workload.group === group)
        .map(({ workload: w, host }) => ({ name: w.name, member: w.member, ...(host ? { host } : {}), serves: w.ports.filter((p) => p.reach === "clients").map((p) => p.name) }));
      target.sites(group, requests, { peers: group === POOL_GROUPS.scheduler, portsEach: 0 });
    }
    const rendered = chain.apply((c) => renderPoolWorkloads(spec, layout, c));
    shapes.forEach(({ workload: w, wallet }, j) => {
      const workload = rendered.apply((all) => all[j].workload);
      target.place({
        resourceName: `${name}-${w.name.slice(spec.name.length + 1)}`,
        shape: { name: w.name, member: w.member, image: w.image, inits: 0, listens: w.ports.length > 0 },
        workload,
        secretValues: wallet ? pulumi.all([workload, walletOfSlot(wallet)]).apply(([x, ws]) => walletValues(x, ws)) : {},
        parent: this,
        ...(placement.dependsOn ? { dependsOn: placement.dependsOn } : {}),
        ...(placement.aliases ? { aliases: placement.aliases(w.name) } : {}),
      });
    });
  }

}
