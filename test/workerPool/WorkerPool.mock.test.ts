// The WorkerPool component under Pulumi's mocks (no engine, no cluster, no host contacted): a stack with a bare-metal
// pool of two hosts and a Kubernetes pool declares what it should, secrets stay secret, and every Kubernetes object
// it declares passes the offline schema checks.
import * as pulumi from "@pulumi/pulumi";
import { computeAddress, SigningKey } from "ethers";
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { WorkerPool } from "../../components/workerPool/WorkerPool";
import { K8sObject } from "../../render/kubernetes/meta";
import { schemaErrors, typeErrors } from "../kubernetes/schema";
import { SECRET_SIG, settle } from "../support/pulumiMocks";
import { CHAIN, kubePoolRaw, parse } from "./fixture";

interface Declared {
  type: string;
  name: string;
  inputs: Record<string, any>;
}
const declared: Declared[] = [];
const POOL_ADDRESS = CHAIN.poolAddress;

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        declared.push({ type: args.type, name: args.name, inputs: args.inputs });
        if (args.type.endsWith("keys:GeneratedKey")) {
          const address = computeAddress(new SigningKey("0x" + randomBytes(32).toString("hex")).publicKey);
          return { id: address, state: { ...args.inputs, address, keystore: JSON.stringify({ version: 3, address }), password: "mock-password-" + randomBytes(8).toString("hex") } };
        }
        if (args.type.endsWith("workerpool:WorkerpoolRegistration")) return { id: POOL_ADDRESS, state: { ...args.inputs, address: POOL_ADDRESS, registered: true, ownerOnChain: args.inputs.owner } };
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "consortium-mock",
    "mock",
    true, // preview
  );
});

const hostRaw = (name: string, address: string) => ({
  name,
  address,
  hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKeyForMocksOnlyxxxxxxxxxxxxxxxxxxxx",
  kataArtifact: { url: "https://github.com/kata-containers/kata-containers/releases/download/3.18.0/kata-static-3.18.0-amd64.tar.xz", sha256: "a".repeat(64) },
  workers: 1,
});
const [metal, kube] = parse([
  { name: "metal", coreUrl: "http://10.0.0.5:13000", target: { kind: "ssh", hosts: [hostRaw("h1", "10.0.0.5"), hostRaw("h2", "10.0.0.6")] } },
  kubePoolRaw(),
]);
const DEPLOYER_KEY = "0x" + "4d".repeat(32);
const args = {
  chainId: CHAIN.chainId,
  rpcUrl: CHAIN.rpcUrl,
  blockTimeSeconds: 5,
  hubAddress: CHAIN.hubAddress,
  workerpoolRegistry: "0x0000000000000000000000000000000000000Bee",
  deployerKey: pulumi.secret(DEPLOYER_KEY),
};
const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("WorkerPool (mocks)", () => {
  it("a stack with a 2-host bare-metal pool and a Kubernetes pool declares keys, registration, hosts and objects", async () => {
    const pools = [new WorkerPool("metal", { ...args, spec: metal }), new WorkerPool("kube", { ...args, spec: kube })];
    expect(await value(pools[0].address)).toBe(POOL_ADDRESS);
    expect(await value(pools[0].workers)).toHaveLength(2);
    expect(await value(pools[1].coreUrl)).toBe("http://kube-core.pool-kube.svc.cluster.local:13000");
    await settle();
    const of = (type: string) => declared.filter((d) => d.type.endsWith(type));
    expect(of("keys:GeneratedKey").map((d) => d.name).sort()).toEqual(
      ["kube-scheduler-key", "kube-worker-0-key", "kube-worker-1-key", "metal-h1-worker-0-key", "metal-h2-worker-0-key", "metal-scheduler-key"].sort(),
    );
    expect(of("workerpool:WorkerpoolRegistration").map((d) => d.inputs.description)).toEqual(["metal", "kube"]);

    const hosts = of("workerpool:SshWorkerHost").sort((a, b) => a.name.localeCompare(b.name));
    expect(hosts.map((h) => h.name)).toEqual(["metal-h1", "metal-h2"]);
    const [h1, h2] = hosts.map((h) => h.inputs);
    expect(h1.containers.map((c: any) => c.name)).toEqual(["metal-worker-h1-0", "metal-mongo", "metal-config-server", "metal-blockchain-adapter", "metal-core"]);
    expect(h2.containers.map((c: any) => c.name)).toEqual(["metal-worker-h2-0"]);
    expect(h1.containers.every((c: any) => c.runtime === "runc")).toBe(true);
    expect(h1.containers[0].env).toMatchObject({ IEXEC_CORE_URL: "http://10.0.0.5:13000", POOL_ADDRESS, IEXEC_WORKER_NAME: "metal-worker-h1-0" });
    // Passwords reach hosts as files only: not in any container description, and the files input is a secret.
    expect(JSON.stringify(hosts.map((h) => h.inputs.containers))).not.toMatch(/mock-password/);
    expect(h1.files[SECRET_SIG]).toBeDefined();

    const release = of("helm.sh/v3:Release")[0];
    expect(release.inputs).toMatchObject({ chart: "oci://ghcr.io/kata-containers/kata-deploy-charts/kata-deploy", version: "3.18.0", namespace: "kube-system" });
    const secrets = of("kubernetes:core/v1:Secret");
    expect(secrets.map((s) => s.inputs.metadata.name).sort()).toEqual(["kube-scheduler-wallet", "kube-worker-wallet-0", "kube-worker-wallet-1"]);
    expect(secrets.every((s) => s.inputs.stringData[SECRET_SIG] !== undefined)).toBe(true);
    const sts = of("kubernetes:apps/v1:StatefulSet").find((s) => s.inputs.metadata.name === "kube-worker")!;
    expect(sts.inputs.spec.template.spec.runtimeClassName).toBe("kata-qemu-runtime-rs");
    expect(sts.inputs.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["worker", "dind"]);
    expect(sts.inputs.spec.template.spec.containers[0].env).toContainEqual({ name: "DOCKER_HOST", value: "tcp://localhost:2375" });
    expect(of("kubernetes:apps/v1:Deployment").map((d) => d.inputs.metadata.name).sort()).toEqual(["kube-blockchain-adapter", "kube-config-server", "kube-core", "kube-result-proxy"]);

    // Every declared Kubernetes object, as the engine would send it, passes the offline schema checks.
    const objects = declared
      .filter((d) => d.type.startsWith("kubernetes:") && !d.type.includes("helm"))
      .map((d) => {
        const [, group, kind] = /^kubernetes:(.+):(\w+)$/.exec(d.type)!;
        const apiVersion = group.replace(/^core\//, "");
        const { stringData: _secret, ...rest } = d.inputs;
        return { apiVersion, kind, ...rest } as K8sObject;
      });
    expect(objects.flatMap(schemaErrors)).toEqual([]);
    expect(typeErrors(objects)).toEqual([]);
  }, 60_000);

  it("refuses a bare-metal pool without coreUrl before declaring anything", () => {
    const [noUrl] = parse([{ ...hostlessPool(), coreUrl: undefined }]);
    expect(() => new WorkerPool("nourl", { ...args, spec: noUrl })).toThrow(/WorkerPool nourl: a bare-metal pool needs coreUrl/);
  });
});

function hostlessPool() {
  return { name: "nourl", target: { kind: "ssh", hosts: [hostRaw("h1", "10.0.0.5")] } };
}
