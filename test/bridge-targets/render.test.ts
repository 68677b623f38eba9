// render/bridge/agent.ts: the agent as a workload, rendered for Docker (its sites, container and files) and for
// Kubernetes (its objects). Pure functions: placement per member host, files and their modes, loopback-only ports,
// the directory and its reset, probes, the Kubernetes schemas (offline, kubernetes-models) and a golden file. The
// Dockerfile is checked against the program the workload runs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../agent/config";
import { AGENT_SITES } from "../../components/bridge/agents";
import { agentName, agentResetKey, agentSecretFiles, agentWorkload, IMAGE_AGENT_PROGRAM } from "../../render/bridge/agent";
import { renderContainer } from "../../render/docker/container";
import { dockerSites } from "../../render/docker/sites";
import { renderKubernetesWorkload } from "../../render/kubernetes/fleet";
import { K8sObject, kubeContext } from "../../render/kubernetes/meta";
import { kubernetesSites } from "../../render/kubernetes/sites";
import { claimName } from "../../render/kubernetes/statefulSet";
import { agentPollIntervalMs } from "../../program/bridge";
import { DEFAULT_AGENT_IMAGE } from "../../settings/bridge";
import type { ConsortiumSpec, DockerFleetSpec } from "../../settings/consortium";
import { expectGolden } from "../render/golden";
import { schemaErrors, typeErrors } from "../kubernetes/schema";
import { agentParams, agentSecrets, bridgeSettings, HOME_RPC, HOSTS, MEMBERS, spec, VALIDATORS } from "./fixture";

type Obj = K8sObject & Record<string, any>;

const requests = VALIDATORS.map((v, i) => ({ name: agentName(v), member: MEMBERS[i], serves: ["health"] }));
const dockerAgents = (s: ConsortiumSpec) => dockerSites({ consortium: s.name, fleet: s.fleet as DockerFleetSpec, requests, options: AGENT_SITES }).sites;

describe("bridge.agent (spec)", () => {
  it("defaults to the project's pinned agent image and rejects an unpinned one, naming the field and the fix", () => {
    expect(spec({ target: "docker" }).bridge!.agent).toEqual({ image: DEFAULT_AGENT_IMAGE, relayForeign: false });
    // The default tag follows the project's version, which the image is built from.
    const { version } = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8"));
    expect(DEFAULT_AGENT_IMAGE).toBe(`consortium-deployer/bridge-agent:${version}`);
    expect(() => spec({ target: "docker" }, bridgeSettings({ agent: { image: "bridge-agent" } }))).toThrow(/bridge\.agent\.image.*not a pinned image reference.*repository:tag/s);
    expect(() => spec({ target: "docker" }, bridgeSettings({ agent: { tag: "x" } }))).toThrow(/bridge\.agent\.tag.*not a known setting/s);
  });
});

describe("agents' sites on Docker", () => {
  it("runs every agent on the local engine beside the fleet, its health published on loopback, dialled by container name", () => {
    const sites = dockerAgents(spec({ target: "docker" }));
    expect(sites.map((s) => [s.placement.engine.key, s.container, s.published.health, s.address])).toEqual([
      ["local", "acme-bridge-agent-alpha", { ip: "127.0.0.1", hostPort: 8645 }, "acme-bridge-agent-alpha"],
      ["local", "acme-bridge-agent-beta", { ip: "127.0.0.1", hostPort: 8646 }, "acme-bridge-agent-beta"],
      ["local", "acme-bridge-agent-gamma", { ip: "127.0.0.1", hostPort: 8647 }, "acme-bridge-agent-gamma"],
    ]);
    // Agents dial no one's p2p: no static IP, nothing published but health, even on a fleet spanning hosts.
    for (const s of sites) expect([s.placement.publishP2p, s.placement.ipv4Address]).toEqual([false, undefined]);
  });

  it("puts each agent on its member's host (beside that member's own RPC node), health on that host's loopback", () => {
    const sites = dockerAgents(spec({ target: "docker", hosts: HOSTS, rpcBind: "0.0.0.0" }));
    expect(sites.map((s) => [s.placement.engine, s.published.health])).toEqual(MEMBERS.map((m) => [{ key: m, url: HOSTS[m].url }, { ip: "127.0.0.1", hostPort: 8645 }]));
  });
});

describe("the agent container", () => {
  const s = spec({ target: "docker" });
  const site = dockerAgents(s)[1];
  const workload = agentWorkload({ params: agentParams(1), member: MEMBERS[1], image: s.bridge!.agent.image, site, program: IMAGE_AGENT_PROGRAM });
  const c = renderContainer({ consortium: s.name, workload, placement: site.placement, published: site.published, helperImage: "busybox:1.36.1" });

  it("runs the pinned agent image as the node user in its directory, restarted unless stopped, health published on loopback only", () => {
    expect(c).toMatchObject({ name: "acme-bridge-agent-beta", image: "consortium-deployer/bridge-agent:0.1.0", user: "10001:10001", restart: "unless-stopped", workingDir: "/node" });
    expect(c.network).toEqual({ name: "acme-net" });
    expect([c.entrypoint, c.command]).toEqual([["node"], ["/app/dist/agent/main.js", "--config", "agent.json"]]);
    expect(c.ports).toEqual([{ internal: 8080, external: 8646, ip: "127.0.0.1", protocol: "tcp" }]);
    expect(c.healthcheck).toMatchObject({ intervalSeconds: 10, retries: 3, startPeriodSeconds: 60 });
    expect(c.healthcheck!.test.slice(0, 3)).toEqual(["CMD", "node", "-e"]);
    expect(c.healthcheck!.test[3]).toContain("http://127.0.0.1:8080/healthz");
    expect(c.init).toEqual([]);
  });

  it("uploads agent.json (no secret in it) and names the keystore, password and both endpoints as secret files (0600)", () => {
    expect(c.files.map((f) => [f.path, f.mode.toString(8)])).toEqual([["/node/agent.json", "644"]]);
    expect(c.secretFiles).toEqual([
      { path: "/node/keystore.json", source: "keystore", mode: 0o600 },
      { path: "/node/password", source: "password", mode: 0o600 },
      { path: "/node/home-rpc-url", source: "rpcUrl", mode: 0o600 },
      { path: "/node/foreign-rpc-url", source: "rpcUrl", mode: 0o600 },
    ]);
    expect(c.volume).toEqual({ volume: "acme-bridge-agent-beta-data", target: "/node", noCopy: true });
    // New contracts: a new reset key, so the target gives the agent a new directory (a new database).
    const moved = agentParams(1);
    moved.home.gateway = "0x" + "9".repeat(40);
    expect(agentResetKey(moved)).not.toBe(agentResetKey(agentParams(1)));
    expect(JSON.stringify(c)).not.toContain("MARKER");
  });

  it("writes a configuration the agent accepts: files beside it, health on 0.0.0.0, endpoints from the secret files", () => {
    const secrets = agentSecrets("beta", "http://acme-rpc-org-1:8545");
    const read = (path: string) => ({ "home-rpc-url": secrets.homeRpcUrl, "foreign-rpc-url": secrets.foreignRpcUrl })[path]!;
    const cfg = parseAgentConfig(JSON.parse(workload.files["agent.json"]), read);
    expect(cfg).toMatchObject({
      keystoreFile: "keystore.json",
      passwordFile: "password",
      dbFile: "agent.sqlite",
      health: { host: "0.0.0.0", port: 8080 },
      relayForeign: false,
      home: { rpcUrl: "http://acme-rpc-org-1:8545", chainId: 31418 },
      foreign: { rpcUrl: secrets.foreignRpcUrl, chainId: 1 },
    });
  });

  it("matches the Dockerfile: the image holds the program at the path the workload runs, as uid 10001", () => {
    const dockerfile = readFileSync(join(__dirname, "..", "..", "templates", "bridge-agent", "Dockerfile"), "utf8");
    expect(IMAGE_AGENT_PROGRAM.main).toBe("/app/dist/agent/main.js");
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(/^COPY dist\/agent\/ \.\/dist\/agent\/$/m);
    expect(dockerfile).toContain(`ENTRYPOINT ["${IMAGE_AGENT_PROGRAM.node}","${IMAGE_AGENT_PROGRAM.main}"]`);
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/^FROM node:20[\w.-]*-slim/m);
  });
});

describe("the agent on Kubernetes", () => {
  const s = spec({ target: "kubernetes", namespace: "acme-chain", storageClass: "fast-ssd" }, bridgeSettings({ home: { rpcUrl: HOME_RPC } }));
  const ctx = kubeContext(s);
  const sites = kubernetesSites(ctx, requests);
  const inCluster = (m: string) => `http://rpc-${m}.acme-chain.svc.cluster.local:8545`;
  const workloads = VALIDATORS.map((_, i) => agentWorkload({ params: agentParams(i), member: MEMBERS[i], image: s.bridge!.agent.image, site: sites[i], program: IMAGE_AGENT_PROGRAM }));
  const objects = workloads.flatMap((w, i) => renderKubernetesWorkload(ctx, w, agentSecretFiles(agentSecrets(VALIDATORS[i], inCluster(MEMBERS[i]))), agentResetKey(agentParams(i)))) as Obj[];
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;

  it("renders per agent a ConfigMap, a Secret, a StatefulSet, a Service and a NetworkPolicy in the fleet's namespace (no disruption budget)", () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      VALIDATORS.flatMap((v) => [`ConfigMap/bridge-agent-${v}-files`, `Secret/bridge-agent-${v}-keys`, `StatefulSet/bridge-agent-${v}`, `Service/bridge-agent-${v}`, `NetworkPolicy/bridge-agent-${v}`]),
    );
    for (const o of objects) expect(o.metadata.namespace).toBe("acme-chain");
  });

  it("passes the Kubernetes schemas (kubernetes-models validators and interfaces)", () => {
    expect(objects.flatMap(schemaErrors)).toEqual([]);
    expect(typeErrors(objects)).toEqual([]);
  });

  it("matches the golden file (3 agents)", () => {
    expectGolden("bridge/kubernetes-agents.json", objects);
  });

  it("runs one non-root replica with a read-only root, probes on /healthz and its directory on a claim named after its contracts", () => {
    const sts = find("StatefulSet", "bridge-agent-alpha");
    expect(sts.spec).toMatchObject({ replicas: 1, serviceName: "bridge-agent-alpha", persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain" } });
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
    const [agent] = pod.containers;
    expect(agent).toMatchObject({ image: "consortium-deployer/bridge-agent:0.1.0", command: ["node"], args: ["/app/dist/agent/main.js", "--config", "agent.json"], workingDir: "/node" });
    expect(agent.ports).toEqual([{ name: "health", containerPort: 8080, protocol: "TCP" }]);
    expect(agent.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) expect(agent[probe].httpGet).toEqual({ path: "/healthz", port: "health" });
    expect(agent.resources).toEqual({ requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } });
    // New contracts: a new claim template, so a new StatefulSet with an empty directory (the old claim is retained).
    const claim = claimName(agentResetKey(agentParams(0)));
    expect(claim).toMatch(/^node-[0-9a-f]{12}$/);
    expect(agent.volumeMounts).toEqual([
      { name: claim, mountPath: "/node" },
      { name: "tmp", mountPath: "/tmp" },
    ]);
    expect(sts.spec.volumeClaimTemplates[0]).toMatchObject({ metadata: { name: claim }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "fast-ssd", resources: { requests: { storage: "1Gi" } } } });
    const cfg = JSON.parse(find("ConfigMap", "bridge-agent-alpha-files").data["agent.json"]);
    expect(cfg).toMatchObject({ home: { rpcUrlFile: "home-rpc-url" }, health: { host: "0.0.0.0", port: 8080 }, passwordFile: "password", dbFile: "agent.sqlite" });
  });

  it("keeps the keystore, password and endpoints in the Secret only, base64, each agent reading its own member's RPC Service", () => {
    const b64 = (t: string) => Buffer.from(t).toString("base64");
    const secrets = agentSecrets("alpha", inCluster("org-0"));
    expect(find("Secret", "bridge-agent-alpha-keys").data).toEqual({
      "foreign-rpc-url": b64(secrets.foreignRpcUrl),
      "home-rpc-url": b64(secrets.homeRpcUrl),
      "keystore.json": b64(secrets.keystore),
      password: b64(secrets.password),
    });
    for (const o of objects.filter((x) => x.kind !== "Secret")) expect(JSON.stringify(o)).not.toContain("MARKER");
    expect(find("StatefulSet", "bridge-agent-alpha").spec.selector.matchLabels).toEqual({ "app.kubernetes.io/part-of": "acme", "app.kubernetes.io/instance": "bridge-agent-alpha" });
    expect(find("Service", "bridge-agent-alpha").spec.ports).toEqual([{ name: "health", port: 8080, targetPort: 8080, protocol: "TCP" }]);
  });

  it("admits health from the namespace only, and no one on p2p: agents are not in the nodes' group", () => {
    const policy = find("NetworkPolicy", "bridge-agent-alpha").spec;
    expect(policy.ingress).toEqual([{ from: [{ podSelector: {} }], ports: [{ protocol: "TCP", port: 8080 }] }]);
    expect(find("StatefulSet", "bridge-agent-alpha").spec.template.metadata.labels["consortium-deployer/group"]).toBe("bridge");
  });
});

describe("agent poll interval", () => {
  it("is half the faster chain's block time, within 250 ms and 6 s", () => {
    expect(agentPollIntervalMs(1, 1)).toBe(500); // dev: 1 s blocks on both sides
    expect(agentPollIntervalMs(5, 12)).toBe(2_500); // a 5 s consortium bridged to mainnet
    expect(agentPollIntervalMs(30, 12)).toBe(6_000);
  });
});
