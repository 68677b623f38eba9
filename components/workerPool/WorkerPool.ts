import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { hostInputs } from "../../lib/workerPool/host";
import { renderHostPlan, Wallet } from "../../render/workerPool/hostPlan";
import {
  coreUrl as kubeCoreUrl,
  KubePool,
  renderKataDeploy,
  renderKubernetesPool,
  renderWalletSecret,
  schedulerWalletSecret,
  workerWalletSecret,
} from "../../render/workerPool/kubernetes";
import { PoolChain } from "../../render/workerPool/services";
import { KubernetesTargetSpec, SshTargetSpec, WorkerPoolSpec } from "../../settings/workerPool";
import { SignerKey } from "../keys/GeneratedKey";
import { SshWorkerHost, WorkerpoolRegistration } from "./resources";

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

// Rendered objects are plain JSON, checked against the Kubernetes schemas in tests; the SDK's arg types are not restated.
const sdkArgs = <T>(o: unknown) => o as T;
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

    const workerKeys =
      spec.target.kind === "ssh"
        ? this.sshPool(name, spec, spec.target, chain, walletOf(scheduler), key)
        : this.kubernetesPool(name, spec, spec.target, chain, walletOf(scheduler), key);

    this.address = registration.address;
    this.owner = scheduler.address;
    this.workers = pulumi.all(workerKeys.map((k) => k.address)).apply((a) => a.map((x) => x!));
    this.coreUrl = pulumi.output(spec.target.kind === "ssh" ? spec.coreUrl! : kubeCoreUrl({ pool: spec, target: spec.target }));
    this.registerOutputs({ address: this.address, owner: this.owner, workers: this.workers, coreUrl: this.coreUrl });
  }

  private validate(name: string, spec: WorkerPoolSpec) {
    const fail = (why: string) => new pulumi.ResourceError(`WorkerPool ${name}: ${why}`, this);
    if (spec.target.kind === "ssh") {
      if (!spec.coreUrl) throw fail("a bare-metal pool needs coreUrl: the URL its workers reach iexec-core at (on the scheduler host)");
      if (spec.target.hosts.every((h) => h.workers === 0)) throw fail("no host runs a worker");
    }
  }

  private sshPool(name: string, spec: WorkerPoolSpec, target: SshTargetSpec, chain: pulumi.Output<PoolChain>, schedulerWallet: pulumi.Output<Wallet>, key: (n: string) => SignerKey): SignerKey[] {
    const all: SignerKey[] = [];
    for (const host of target.hosts) {
      const keys = Array.from({ length: host.workers }, (_, i) => key(`${name}-${host.name}-worker-${i}-key`));
      all.push(...keys);
      const plan = pulumi
        .all([chain, pulumi.all(keys.map(walletOf)), schedulerWallet])
        .apply(([c, workerWallets, s]) => renderHostPlan({ pool: spec, target, host, chain: c, coreUrl: spec.coreUrl!, workerWallets, schedulerWallet: s }));
      // Containers and networks hold no secret (passwords are files): kept readable in state and diffs.
      const plain = pulumi.unsecret(plan.apply((p) => hostInputs(spec.name, target, host, { ...p, files: [] })));
      new SshWorkerHost(
        `${name}-${host.name}`,
        {
          pool: spec.name,
          connection: plain.connection,
          daemonJsonPath: host.dockerDaemonConfigPath,
          restartCommand: host.restartCommand,
          kataArtifact: host.kataArtifact,
          target: plain.target,
          networks: plain.networks,
          containers: plain.containers,
          files: plan.apply((p) => p.files),
        },
        { parent: this },
      );
    }
    return all;
  }

  private kubernetesPool(name: string, spec: WorkerPoolSpec, target: KubernetesTargetSpec, chain: pulumi.Output<PoolChain>, schedulerWallet: pulumi.Output<Wallet>, key: (n: string) => SignerKey): SignerKey[] {
    const kp: KubePool = { pool: spec, target };
    const child = { parent: this };
    if (target.kataDeploy.install) {
      const k = renderKataDeploy(kp);
      new k8s.helm.v3.Release(`${name}-kata-deploy`, { chart: k.chart, version: k.version, namespace: k.namespace }, child);
    }
    const shape = renderKubernetesPool(kp, SHAPE_CHAIN);
    const objects = chain.apply((c) => renderKubernetesPool(kp, c));
    const [namespace, ...rest] = shape;
    const ns = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: namespace.metadata }, child);
    const inNamespace = { parent: this, dependsOn: [ns] };

    // Wallet Secrets: the keys outlive the stack's resources (`pulumi destroy` leaves them in the cluster).
    const walletSecret = (resource: string, secretName: string, wallet: pulumi.Output<Wallet>) =>
      new k8s.core.v1.Secret(
        resource,
        {
          ...sdkArgs<k8s.core.v1.SecretArgs>(renderWalletSecret(kp, secretName)),
          stringData: pulumi.secret(wallet.apply((w) => ({ "wallet.json": w.keystore, password: w.password }))),
        },
        { ...inNamespace, retainOnDelete: true },
      );
    const secrets = [walletSecret(`${name}-scheduler-wallet`, schedulerWalletSecret(spec.name), schedulerWallet)];
    const keys = Array.from({ length: target.replicas }, (_, i) => key(`${name}-worker-${i}-key`));
    keys.forEach((k, i) => secrets.push(walletSecret(`${name}-worker-wallet-${i}`, workerWalletSecret(spec.name, i), walletOf(k))));

    const withSecrets = { parent: this, dependsOn: [ns, ...secrets] };
    rest.forEach((o, j) => {
      const resource = `${name}-${o.metadata.name}-${o.kind.toLowerCase()}`;
      const objectSpec = objects.apply((all) => all[j + 1].spec);
      switch (o.kind) {
        case "Service":
          new k8s.core.v1.Service(resource, { metadata: o.metadata, spec: sdkArgs(objectSpec) }, inNamespace);
          break;
        case "Deployment":
          new k8s.apps.v1.Deployment(resource, { metadata: o.metadata, spec: sdkArgs(objectSpec) }, withSecrets);
          break;
        case "StatefulSet":
          new k8s.apps.v1.StatefulSet(resource, { metadata: o.metadata, spec: sdkArgs(objectSpec) }, withSecrets);
          break;
        default:
          throw new pulumi.ResourceError(`WorkerPool ${name}: no resource for rendered ${o.kind}`, this);
      }
    });
    return keys;
  }
}
