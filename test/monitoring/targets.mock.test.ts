// The monitor on the container targets, under pulumi.runtime.setMocks (a test double for the engine: the Docker and
// Kubernetes provider plugins cannot be installed here). Placed by the same target layer as the nodes and the bridge
// agents: a container of `monitoring.image` beside the first member's nodes (Docker), a StatefulSet and a Service
// (Kubernetes); it reads the chain, the RPC nodes and the agents where the stack's workloads reach them, and is
// published to the deployer on loopback only. The real image layout runs on a real dockerd in test/monitoring/docker.test.ts.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Monitor } from "../../components/monitoring/Monitor";
import type { Target } from "../../components/targets/Target";
import consortium from "../../program/index";
import { K8sObject } from "../../render/kubernetes/meta";
import { IMAGE_MONITOR_PROGRAM } from "../../render/monitoring/monitor";
import { MONITORING_DEFAULTS } from "../../settings/monitoring";
import { BRIDGE_ENDPOINTS, bridgeSettings, consortiumRaw, FOREIGN_RPC, HOME_RPC, HOSTS, MEMBERS, VALIDATORS } from "../bridge-targets/fixture";
import { schemaErrors, typeErrors } from "../kubernetes/schema";
import { imageId, installMocks, isSecret, Registered, registeredOne, runProgram, setConsortiumConfig, visible } from "../support/pulumiMocks";

const MONITOR_IMAGE = "registry.example/monitor:1.2.3";
const CONTAINER = "docker:index/container:Container";

let registered: Registered[] = [];
beforeAll(() => {
  registered = installMocks();
});
beforeEach(() => {
  registered.length = 0;
});

const one = (type: string, name: string) => registeredOne(registered, type, name);

function run(fleet: Record<string, unknown>, bridge: Record<string, unknown>) {
  setConsortiumConfig({ ...consortiumRaw(fleet, bridge), monitoring: { image: MONITOR_IMAGE } }, { deployerKey: "0x" + "5e".repeat(32), bridgeEndpoints: JSON.stringify(BRIDGE_ENDPOINTS) });
  return runProgram(consortium);
}

/** The monitor's configuration file, from the public files its target writes. */
const monitorConfigOf = (files: Record<string, string>) => JSON.parse(files["monitor.json"]);

describe("the monitor on the docker target (one host per member)", () => {
  it("runs the pinned monitor image on the first member's host, reading the stack where its workloads reach it, published on loopback", async () => {
    const out = await run({ target: "docker", hosts: HOSTS }, bridgeSettings({ home: { rpcUrl: HOME_RPC } }));
    const c = one(CONTAINER, "monitor").inputs;
    expect(c).toMatchObject({ name: "acme-monitor", image: imageId(MONITOR_IMAGE), user: "10001:10001", restart: "unless-stopped", workingDir: "/node" });
    expect([...c.entrypoints, ...c.command]).toEqual([IMAGE_MONITOR_PROGRAM.node, IMAGE_MONITOR_PROGRAM.main, "--config", "monitor.json"]);
    expect(c.ports).toEqual([{ internal: 9650, external: 9650, ip: "127.0.0.1", protocol: "tcp" }]);
    expect(c.healthcheck.tests.join(" ")).toContain("http://127.0.0.1:9650/healthz");
    expect(one("docker:index/remoteImage:RemoteImage", `fleet-${MEMBERS[0]}-${MONITOR_IMAGE.replace(/[^A-Za-z0-9-]+/g, "-")}-image`).inputs.name).toBe(MONITOR_IMAGE);
    // Its configuration: listening in its container, reading its member's RPC node and every agent on the network.
    // Its uploads hold the foreign endpoint: a secret as a whole, that file 0600, the configuration naming only the file.
    const uploads = one(CONTAINER, "monitor-prepare").inputs.uploads;
    expect(isSecret(uploads)).toBe(true);
    const files = Object.fromEntries(((uploads as { value: { file: string; content: string; permissions: string }[] }).value).map((u) => [u.file.replace("/node/", ""), u]));
    expect(Object.keys(files).sort()).toEqual(["foreign-rpc-url", "monitor.json"]);
    expect(files["foreign-rpc-url"]).toMatchObject({ content: FOREIGN_RPC, permissions: "0600" });
    const config = monitorConfigOf({ "monitor.json": files["monitor.json"].content });
    expect(config.bridge.foreign.rpcUrlFile).toBe("foreign-rpc-url");
    expect(files["monitor.json"].content).not.toContain("mainnet.example.org");
    expect(config.listen).toEqual({ host: "0.0.0.0", port: 9650 });
    expect(config.chain.rpcUrl).toBe(`http://acme-rpc-${MEMBERS[0]}:8545`);
    expect(config.nodes.map((n: { rpcUrl: string }) => n.rpcUrl)).toEqual(MEMBERS.map((m) => `http://acme-rpc-${m}:8545`));
    expect(config.bridge.agents).toEqual(VALIDATORS.map((v) => ({ name: v, healthUrl: `http://acme-bridge-agent-${v}:8080/healthz` })));
    expect(out.monitoring).toMatchObject({ dashboardUrl: "http://127.0.0.1:9650/dashboard/", appUrl: "http://127.0.0.1:9650/app/", metricsUrl: "http://127.0.0.1:9650/metrics" });
  });
});

describe("the monitor on the kubernetes target", () => {
  it("is a StatefulSet of the pinned image with a ConfigMap, a Service and a NetworkPolicy that pass the schemas", async () => {
    const out = await run({ target: "kubernetes", namespace: "acme-chain" }, bridgeSettings({ home: { rpcUrl: HOME_RPC } }));
    const sts = one("kubernetes:apps/v1:StatefulSet", "monitor-node");
    const container = sts.inputs.spec.template.spec.containers[0];
    expect(container.image).toBe(MONITOR_IMAGE);
    expect([...container.command, ...container.args]).toEqual([IMAGE_MONITOR_PROGRAM.node, IMAGE_MONITOR_PROGRAM.main, "--config", "monitor.json"]);
    const configMap = one("kubernetes:core/v1:ConfigMap", "monitor-files");
    const config = monitorConfigOf(configMap.inputs.data);
    expect(config.chain.rpcUrl).toBe(`http://rpc-${MEMBERS[0]}.acme-chain.svc.cluster.local:8545`);
    expect(config.bridge.agents[0].healthUrl).toBe("http://bridge-agent-alpha.acme-chain.svc.cluster.local:8080/healthz");
    // The foreign endpoint only in the monitor's Secret; nothing else in plaintext holds it.
    expect(JSON.stringify(visible(configMap.inputs))).not.toContain("mainnet.example.org");
    const secret = one("kubernetes:core/v1:Secret", "monitor-keys");
    expect(isSecret(secret.inputs.data)).toBe(true);
    expect(Buffer.from((secret.inputs.data as { value: Record<string, string> }).value["foreign-rpc-url"], "base64").toString()).toBe(FOREIGN_RPC);
    const service = one("kubernetes:core/v1:Service", "monitor-service");
    const policy = one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "monitor-network-policy");
    const objects = [configMap, service, policy, sts].map((r) => r.inputs as K8sObject);
    expect(objects.flatMap(schemaErrors)).toEqual([]);
    expect(typeErrors(objects)).toEqual([]);
    // In the cluster: operators reach it through its Service (kubectl port-forward, an Ingress of theirs).
    expect(out.monitoring.dashboardUrl).toBe("http://monitor.acme-chain.svc.cluster.local:9650/dashboard/");
  });
});

describe("the Monitor component", () => {
  const args = { settings: MONITORING_DEFAULTS, engine: "clique" as const, blockPeriodSeconds: 5, member: "a", rpcUrl: "", signers: [], nodes: {} };
  const target = (runsImages: boolean) => ({ kind: runsImages ? "docker" : "local", runsImages, sites: () => expect.fail("sited"), place: () => expect.fail("placed") }) as unknown as Target;

  it("refuses a container target without an image, and a local process with one, before declaring anything", () => {
    expect(() => new Monitor("m", { ...args, target: target(true), image: "", program: IMAGE_MONITOR_PROGRAM })).toThrow(/Monitor m: the docker target runs images and no image was given \(monitoring\.image\)/);
    expect(() => new Monitor("m", { ...args, target: target(false), image: MONITOR_IMAGE, program: IMAGE_MONITOR_PROGRAM })).toThrow(/Monitor m: the local target runs local processes and takes no image/);
  });
});
