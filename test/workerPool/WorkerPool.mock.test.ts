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

    // Each host made ready for Kata by a setup resource; each workload a container resource on its host.
    expect(of("target:SshHostSetup").map((d) => d.name).sort()).toEqual(["metal-h1", "metal-h2"]);
    const containers = of("target:SshHostContainer").sort((a, b) => a.name.localeCompare(b.name));
    const on = (host: string) => containers.filter((c) => c.inputs.connection.name === host).map((c) => c.inputs.container.name);
    expect(on("h1")).toEqual(["metal-blockchain-adapter", "metal-config-server", "metal-core", "metal-mongo", "metal-worker-h1-0"]);
    expect(on("h2")).toEqual(["metal-worker-h2-0"]);
    expect(containers.map((c) => c.name)).toEqual(["metal-blockchain-adapter", "metal-config-server", "metal-core", "metal-mongo", "metal-worker-h1-0", "metal-worker-h2-0"]);
    expect(containers.every((c) => c.inputs.container.runtime === "runc")).toBe(true);
    const worker = containers.find((c) => c.inputs.container.name === "metal-worker-h1-0")!.inputs;
    expect(worker.container.env).toMatchObject({ IEXEC_CORE_URL: "http://10.0.0.5:13000", POOL_ADDRESS, IEXEC_WORKER_NAME: "metal-worker-h1-0" });
    // Passwords reach hosts as files only: not in any container description, and each files input is a secret.
    expect(JSON.stringify(containers.map((c) => c.inputs.container))).not.toMatch(/mock-password/);
    expect(worker.files[SECRET_SIG]).toBeDefined();
    expect(containers.filter((c) => c.inputs.files[SECRET_SIG] === undefined).map((c) => c.inputs.container.name)).toEqual([]);

    const release = of("helm.sh/v3:Release")[0];
    expect(release.inputs).toMatchObject({ chart: "oci://ghcr.io/kata-containers/kata-deploy-charts/kata-deploy", version: "3.18.0", namespace: "kube-system" });
    // Every workload its own Secret (retained on delete): a worker's holds its wallet only.
    const secrets = of("kubernetes:core/v1:Secret");
    const names = (ds: Declared[]) => ds.map((d) => d.inputs.metadata.name).sort();
    expect(names(secrets)).toEqual(["kube-blockchain-adapter-keys", "kube-config-server-keys", "kube-core-keys", "kube-mongo-keys", "kube-result-proxy-keys", "kube-worker-0-keys", "kube-worker-1-keys"]);
    expect(secrets.every((s) => s.inputs.data[SECRET_SIG] !== undefined)).toBe(true);
    const sts = of("kubernetes:apps/v1:StatefulSet").find((s) => s.inputs.metadata.name === "kube-worker-1")!;
    expect(sts.inputs.spec.template.spec.runtimeClassName).toBe("kata-qemu-runtime-rs");
    expect(sts.inputs.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["iexec-worker", "task-engine"]);
    expect(sts.inputs.spec.template.spec.containers[0].env).toContainEqual({ name: "DOCKER_HOST", value: "tcp://localhost:2375" });
    expect(names(of("kubernetes:apps/v1:StatefulSet"))).toEqual(["kube-blockchain-adapter", "kube-config-server", "kube-core", "kube-mongo", "kube-result-proxy", "kube-worker-0", "kube-worker-1"]);
    expect(of("kubernetes:apps/v1:Deployment")).toEqual([]);
    // The pool's namespace allows its privileged task engines; its Services keep their earlier resource names.
    expect(of("kubernetes:core/v1:Namespace")[0].inputs.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "privileged" });
    expect(names(of("kubernetes:core/v1:Service"))).toEqual(["kube-blockchain-adapter", "kube-config-server", "kube-core", "kube-mongo", "kube-result-proxy"]);
    // Resources named after the pool resource and the workload (earlier names are aliases, WorkerPool.ts).
    expect(of("kubernetes:core/v1:Service").map((s) => s.name).sort()).toEqual(["kube-blockchain-adapter-service", "kube-config-server-service", "kube-core-service", "kube-mongo-service", "kube-result-proxy-service"]);

    // Every declared Kubernetes object, as the engine would send it, passes the offline schema checks.
    const objects = declared
      .filter((d) => d.type.startsWith("kubernetes:") && !d.type.includes("helm"))
      .map((d) => {
        const [, group, kind] = /^kubernetes:(.+):(\w+)$/.exec(d.type)!;
        const apiVersion = group.replace(/^core\//, "");
        // A secret value is not JSON the schema knows (the engine resolves it); every other field is checked.
        const { data, ...rest } = d.inputs;
        return { apiVersion, kind, ...rest, ...(data?.[SECRET_SIG] ? {} : { data }) } as K8sObject;
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
