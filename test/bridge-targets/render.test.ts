// render/bridge: the agent as a Docker container and as Kubernetes objects. Pure functions: placement per member
// host, files and their modes, loopback-only ports, the database volume, probes, the Kubernetes schemas (offline,
// kubernetes-models) and a golden file. The Dockerfile's ENTRYPOINT is checked against the rendered layout.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AGENT_HEALTHCHECK, CONTAINER_AGENT_LAYOUT, placeDockerAgents, renderAgentContainer } from "../../render/bridge/agentContainer";
import { agentClaimName, memberRpcServiceUrl, renderKubernetesAgent } from "../../render/bridge/agentKubernetes";
import { K8sObject, kubeContext } from "../../render/kubernetes/meta";
import { parseAgentConfig } from "../../agent/config";
import { agentPollIntervalMs } from "../../program/bridge";
import { DEFAULT_AGENT_IMAGE } from "../../settings/bridge";
import { expectGolden } from "../render/golden";
import { schemaErrors, typeErrors } from "../kubernetes/schema";
import { agentParams, agentSecrets, bridgeSettings, HOME_RPC, HOSTS, MEMBERS, spec, VALIDATORS } from "./fixture";

type Obj = K8sObject & Record<string, any>;

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

describe("placeDockerAgents", () => {
  it("runs every agent on the local engine beside the fleet, each reading home through its own member's RPC node", () => {
    const placements = placeDockerAgents(spec({ target: "docker" }));
    expect(placements.map((p) => [p.validator, p.engine.key, p.container, p.volume, p.network, p.healthHostPort, p.homeRpcUrl])).toEqual([
      ["alpha", "local", "acme-bridge-agent-alpha", "acme-bridge-agent-alpha-data", "acme-net", 8645, "http://acme-rpc-org-0:8545"],
      ["beta", "local", "acme-bridge-agent-beta", "acme-bridge-agent-beta-data", "acme-net", 8646, "http://acme-rpc-org-1:8545"],
      ["gamma", "local", "acme-bridge-agent-gamma", "acme-bridge-agent-gamma-data", "acme-net", 8647, "http://acme-rpc-org-2:8545"],
    ]);
    // Without RPC nodes, the home endpoint comes from consortium:bridgeEndpoints (never a sealer).
    expect(placeDockerAgents(spec({ target: "docker", rpcNode: false }, bridgeSettings({ home: { rpcUrl: HOME_RPC } })))[0].homeRpcUrl).toBeUndefined();
  });

  it("puts each agent on its member's host, beside that member's own RPC node: no member's agent reads another's node", () => {
    const placements = placeDockerAgents(spec({ target: "docker", hosts: HOSTS }));
    expect(placements.map((p) => [p.engine, p.homeRpcUrl])).toEqual([
      [{ key: "org-0", url: HOSTS["org-0"].url }, "http://acme-rpc-org-0:8545"],
      [{ key: "org-1", url: HOSTS["org-1"].url }, "http://acme-rpc-org-1:8545"],
      [{ key: "org-2", url: HOSTS["org-2"].url }, "http://acme-rpc-org-2:8545"],
    ]);
  });
});

describe("renderAgentContainer", () => {
  const s = spec({ target: "docker" });
  const placement = placeDockerAgents(s)[1];
  const c = renderAgentContainer(s, placement, agentParams(1));

  it("runs the pinned agent image as the node user, restarted unless stopped, health published on loopback only", () => {
    expect(c).toMatchObject({ name: "acme-bridge-agent-beta", image: "consortium-deployer/bridge-agent:0.1.0", user: "10001:10001", restart: "unless-stopped", network: "acme-net" });
    expect(c.ports).toEqual([{ internal: 8080, external: 8646, ip: "127.0.0.1", protocol: "tcp" }]);
    expect(c.healthcheck).toBe(AGENT_HEALTHCHECK);
    expect(c.healthcheck.test.slice(0, 3)).toEqual(["CMD", "node", "-e"]);
    expect(c.healthcheck.test[3]).toContain("http://127.0.0.1:8080/healthz");
  });

  it("uploads agent.json (no secret in it) and names the keystore, password and both endpoints as secret files (0600)", () => {
    expect(c.files.map((f) => [f.path, f.mode.toString(8)])).toEqual([["/agent/agent.json", "644"]]);
    expect(c.secretFiles).toEqual([
      { path: "/agent/keystore.json", source: "keystore", mode: 0o600 },
      { path: "/agent/password", source: "password", mode: 0o600 },
      { path: "/agent/home-rpc-url", source: "rpcUrl", mode: 0o600 },
      { path: "/agent/foreign-rpc-url", source: "rpcUrl", mode: 0o600 },
    ]);
    expect(c.volume).toMatchObject({ volume: "acme-bridge-agent-beta-data", target: "/data" });
    // New contracts relabel the volume, which Docker then replaces: a new database.
    const moved = agentParams(1);
    moved.home.gateway = "0x" + "9".repeat(40);
    expect(renderAgentContainer(s, placement, moved).volume.labels).not.toEqual(c.volume.labels);
    expect(JSON.stringify(c)).not.toContain("MARKER");
  });

  it("writes a configuration the agent accepts: files in the container, health on 0.0.0.0, endpoints from the secret files", () => {
    const secrets = agentSecrets("beta", placement.homeRpcUrl!);
    const read = (path: string) => ({ "/agent/home-rpc-url": secrets.homeRpcUrl, "/agent/foreign-rpc-url": secrets.foreignRpcUrl })[path]!;
    const cfg = parseAgentConfig(c.files[0].content, read);
    expect(cfg).toMatchObject({
      keystoreFile: "/agent/keystore.json",
      passwordFile: "/agent/password",
      dbFile: "/data/agent.sqlite",
      health: { host: "0.0.0.0", port: 8080 },
      relayForeign: false,
      home: { rpcUrl: "http://acme-rpc-org-1:8545", chainId: 31418 },
      foreign: { rpcUrl: secrets.foreignRpcUrl, chainId: 1 },
    });
  });

  it("matches the Dockerfile: the ENTRYPOINT reads the rendered config path, as uid 10001, with /agent and /data", () => {
    const dockerfile = readFileSync(join(__dirname, "..", "..", "templates", "bridge-agent", "Dockerfile"), "utf8");
    expect(dockerfile).toContain(`ENTRYPOINT ["node","dist/agent/main.js","--config","${CONTAINER_AGENT_LAYOUT.files.config}"]`);
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/^FROM node:20[\w.-]*-slim/m);
    expect(dockerfile).toContain("chown 10001:10001 /agent /data");
  });
});

describe("renderKubernetesAgent", () => {
  const ctx = kubeContext(spec({ target: "kubernetes", namespace: "acme-chain", storageClass: "fast-ssd" }, bridgeSettings({ home: { rpcUrl: HOME_RPC } })));
  const inCluster = (m: string) => memberRpcServiceUrl(ctx, m);
  const objects = VALIDATORS.flatMap((v, i) => renderKubernetesAgent(ctx, v, agentParams(i), agentSecrets(v, inCluster(MEMBERS[i])))) as Obj[];
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;

  it("renders per agent a ConfigMap, a Secret, a Service and a StatefulSet in the fleet's namespace", () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      VALIDATORS.flatMap((v) => [`ConfigMap/bridge-agent-${v}-files`, `Secret/bridge-agent-${v}-secrets`, `Service/bridge-agent-${v}`, `StatefulSet/bridge-agent-${v}`]),
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

  it("runs one non-root replica with a read-only root, probes on /healthz and its database on a claim", () => {
    const sts = find("StatefulSet", "bridge-agent-alpha");
    expect(sts.spec).toMatchObject({ replicas: 1, serviceName: "bridge-agent-alpha", persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain" } });
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
    const [agent] = pod.containers;
    expect(agent).toMatchObject({ image: "consortium-deployer/bridge-agent:0.1.0", ports: [{ name: "health", containerPort: 8080, protocol: "TCP" }] });
    expect(agent.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) expect(agent[probe].httpGet).toEqual({ path: "/healthz", port: "health" });
    const claim = agentClaimName(agentParams(0));
    expect(agent.volumeMounts).toEqual([
      { name: "agent", mountPath: "/agent", readOnly: true },
      { name: claim, mountPath: "/data" },
      { name: "tmp", mountPath: "/tmp" },
    ]);
    expect(sts.spec.volumeClaimTemplates[0]).toMatchObject({ metadata: { name: claim }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "fast-ssd", resources: { requests: { storage: "1Gi" } } } });
    // agent.json from the ConfigMap; the keystore, password and endpoints from the Secret, side by side in /agent.
    expect(pod.volumes[0].projected.sources).toEqual([
      { configMap: { name: "bridge-agent-alpha-files", items: [{ key: "agent.json", path: "agent.json" }] } },
      {
        secret: {
          name: "bridge-agent-alpha-secrets",
          items: ["foreign-rpc-url", "home-rpc-url", "keystore.json", "password"].map((f) => ({ key: f, path: f })),
        },
      },
    ]);
    const cfg = JSON.parse(find("ConfigMap", "bridge-agent-alpha-files").data["agent.json"]);
    expect(cfg).toMatchObject({ home: { rpcUrlFile: "/agent/home-rpc-url" }, health: { host: "0.0.0.0", port: 8080 }, passwordFile: "/agent/password", dbFile: "/data/agent.sqlite" });
  });

  it("keeps the keystore, password and endpoints in the Secret only, base64, each agent reading its own member's RPC Service", () => {
    const b64 = (t: string) => Buffer.from(t).toString("base64");
    const secrets = agentSecrets("alpha", "http://rpc-org-0.acme-chain.svc.cluster.local:8545");
    expect(find("Secret", "bridge-agent-alpha-secrets").data).toEqual({
      "keystore.json": b64(secrets.keystore),
      password: b64(secrets.password),
      "home-rpc-url": b64(secrets.homeRpcUrl),
      "foreign-rpc-url": b64(secrets.foreignRpcUrl),
    });
    for (const o of objects.filter((x) => x.kind !== "Secret")) expect(JSON.stringify(o)).not.toContain("MARKER");
    expect(find("StatefulSet", "bridge-agent-alpha").spec.selector.matchLabels).toEqual({ "app.kubernetes.io/part-of": "acme-bridge", "app.kubernetes.io/instance": "bridge-agent-alpha" });
    expect(find("Service", "bridge-agent-alpha").spec.ports).toEqual([{ name: "health", port: 8080, targetPort: "health", protocol: "TCP" }]);
  });
});

describe("agent poll interval", () => {
  it("is half the faster chain's block time, within 250 ms and 6 s", () => {
    expect(agentPollIntervalMs(1, 1)).toBe(500); // dev: 1 s blocks on both sides
    expect(agentPollIntervalMs(5, 12)).toBe(2_500); // a 5 s consortium bridged to mainnet
    expect(agentPollIntervalMs(30, 12)).toBe(6_000);
  });
});
