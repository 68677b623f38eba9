// Pure parts of worker pools: the spec parser's problems and defaults, the daemon.json merge, the probe parsing and
// host checks, the pool's workloads on SSH hosts (and every other target refusing what it cannot honour), and the
// Kubernetes objects against the offline schemas.
import { describe, expect, it } from "vitest";
import { mergeDaemonJson } from "../../render/sshHosts/daemonJson";
import { configChanges, hostInputs } from "../../lib/sshHosts/setup";
import { renderHostWorkload } from "../../render/sshHosts/container";
import { hostProblems, parseContainerProbe, parseSetupProbe, versionAtLeast } from "../../render/sshHosts/hostScripts";
import { renderContainer } from "../../render/docker/container";
import { renderStatefulSet } from "../../render/kubernetes/statefulSet";
import { localProcess } from "../../render/local/process";
import type { Workload } from "../../render/workload";
import { kubeContext } from "../../render/kubernetes/meta";
import { kubeSpec } from "../kubernetes/fixture";
import { renderPoolWorkloads, sshLayout, walletValues } from "../../render/workerPool/workloads";
import { renderKubernetesWorkloads } from "../../render/kubernetes/fleet";
import { kubernetesLayout, poolKubeContext } from "../../render/workerPool/kubernetes";
import { KubernetesTargetSpec, parseWorkerPools, POOL_DEFAULTS, SshTargetSpec } from "../../settings/workerPool";
import { schemaErrors } from "../kubernetes/schema";
import { CHAIN, kubePoolRaw, parse } from "./fixture";

const KATA = { runtimeType: "/opt/kata/bin/containerd-shim-kata-v2" };

describe("daemon.json merge", () => {
  it("keeps every existing key, adds runtimes.kata and default-runtime, with stable formatting", () => {
    const existing = '{"log-level":"warn","runtimes":{"nvidia":{"path":"nvidia-container-runtime"}}}';
    const m = mergeDaemonJson(existing, KATA);
    expect(m.changed).toBe(true);
    expect(JSON.parse(m.text)).toEqual({ "log-level": "warn", runtimes: { nvidia: { path: "nvidia-container-runtime" }, kata: KATA }, "default-runtime": "kata" });
    expect(m.text).toBe(JSON.stringify(JSON.parse(m.text), null, 2) + "\n");
    // Merging the result again, or the same content reformatted and reordered, changes nothing (no restart).
    expect(mergeDaemonJson(m.text, KATA)).toEqual({ text: m.text, changed: false });
    const reordered = JSON.stringify({ "default-runtime": "kata", runtimes: { kata: KATA, nvidia: { path: "nvidia-container-runtime" } }, "log-level": "warn" });
    expect(mergeDaemonJson(reordered, KATA).changed).toBe(false);
  });

  it("starts from nothing when there is no file, and refuses to overwrite a broken one", () => {
    expect(JSON.parse(mergeDaemonJson(undefined, KATA).text)).toEqual({ runtimes: { kata: KATA }, "default-runtime": "kata" });
    expect(mergeDaemonJson("  \n", KATA).changed).toBe(true);
    expect(() => mergeDaemonJson("{ not json", KATA)).toThrow(/not valid JSON .* it is not overwritten/);
    expect(() => mergeDaemonJson("[1]", KATA)).toThrow(/does not hold a JSON object/);
    expect(() => mergeDaemonJson('{"runtimes": "x"}', KATA)).toThrow(/"runtimes" is not an object/);
  });
});

describe("host checks", () => {
  const req = { daemonJsonPath: "/etc/docker/daemon.json", vhostModules: POOL_DEFAULTS.vhostModules };
  const healthy = "kvm=yes\nmodule.vhost_net=yes\nmodule.vhost_vsock=yes\ndocker=26.1.4\ndefaultRuntime=kata\nkata=none\ndaemonJson=none\n";
  const target = { minDockerVersion: POOL_DEFAULTS.minDockerVersion, vhostModules: POOL_DEFAULTS.vhostModules };

  it("parses the setup probe and accepts a ready host", () => {
    const obs = parseSetupProbe(healthy, req);
    expect(obs).toEqual({ kvm: true, modules: { vhost_net: true, vhost_vsock: true }, dockerVersion: "26.1.4", defaultRuntime: "kata" });
    expect(hostProblems(obs, target)).toEqual([]);
  });

  it("parses a container probe: its files' digests, and the container when there is one", () => {
    const r = { container: "p-worker-h-0", files: ["/x", "/y"] };
    expect(parseContainerProbe("file.0=abc\nfile.1=none\ncontainer=d1 true runc\n", r)).toEqual({ files: { "/x": "abc", "/y": undefined }, container: { digest: "d1", running: true, runtime: "runc" } });
    expect(parseContainerProbe("file.0=abc\nfile.1=def\n", r)).toEqual({ files: { "/x": "abc", "/y": "def" } });
  });

  it("names each missing piece with its fix: KVM, vhost modules, Docker ≥ 26", () => {
    const obs = parseSetupProbe("kvm=no\nmodule.vhost_net=yes\nmodule.vhost_vsock=no\ndocker=20.10.24+dfsg1\n", req);
    const problems = hostProblems(obs, target);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^\/dev\/kvm is missing.*Fix: enable VT-x/);
    expect(problems[1]).toMatch(/vhost_vsock not loaded.*Fix: modprobe vhost_vsock/);
    expect(problems[2]).toMatch(/Docker 20\.10\.24\+dfsg1 is older than 26\.0\.0 .*Fix: upgrade/);
    expect(hostProblems(parseSetupProbe("kvm=yes\ndocker=none\n", { ...req, vhostModules: [] }), { ...target, vhostModules: [] })).toEqual([expect.stringMatching(/no Docker engine answers/)]);
    expect([versionAtLeast("26.0.0", "26"), versionAtLeast("25.9", "26.0.0"), versionAtLeast("20.10.24+dfsg1", "20.10")]).toEqual([true, false, true]);
  });
});

describe("a host's setup state", () => {
  it("is rewritten when an earlier version's host resource (which ran the containers too) is taken over by alias", async () => {
    const [pool] = parse([{ name: "m", coreUrl: "http://10.0.0.5:13000", target: { kind: "ssh", hosts: [{ name: "h", address: "10.0.0.5", hostKey: "ssh-ed25519 AAAAC3Nza", kataArtifact: { url: "https://x/k.tar.xz", sha256: "a".repeat(64) } }] } }]);
    const target = pool.target as SshTargetSpec;
    const inputs = hostInputs(pool.name, target, target.hosts[0]);
    const state = { ...inputs, kataSha256: "a".repeat(64), daemonJsonDigest: "d", observed: { kvm: true, modules: {} } };
    expect(await configChanges(state, inputs)).toEqual([]);
    expect(await configChanges({ ...state, containers: [] } as typeof state, inputs)).toEqual(["containers"]);
  });
});

describe("a pool's workloads on SSH hosts", () => {
  const host = (name: string) => ({ name, address: "10.0.0.5", hostKey: "ssh-ed25519 AAAAC3Nza", kataArtifact: { path: "./kata.tar.xz" }, baseDir: `/srv/${name}`, secretsDir: `/etc/${name}` });
  const [pool] = parse([{ name: "m", coreUrl: "http://10.0.0.5:13000", target: { kind: "ssh", coreBind: "10.0.0.5", hosts: [host("h1"), { ...host("h2"), workers: 2 }] } }]);
  const target = pool.target as SshTargetSpec;
  const workloads = renderPoolWorkloads(pool, sshLayout(pool, target), CHAIN);
  const site = (h: string, network: string) => ({ owner: "m", baseDir: `/srv/${h}`, secretsDir: `/etc/${h}`, network, publishOn: target.coreBind });
  const named = (n: string) => workloads.find((p) => p.workload.name === n)!;

  it("lays out the scheduler side on its host and each worker on its own, with its own wallet", () => {
    expect(workloads.map((p) => [p.workload.name, p.host, p.wallet ?? null])).toEqual([
      ["m-mongo", "h1", null],
      ["m-config-server", "h1", null],
      ["m-blockchain-adapter", "h1", "scheduler"],
      ["m-core", "h1", "scheduler"],
      ["m-worker-h1-0", "h1", "h1-worker-0"],
      ["m-worker-h2-0", "h2", "h2-worker-0"],
      ["m-worker-h2-1", "h2", "h2-worker-1"],
    ]);
    expect(walletValues(named("m-worker-h2-1").workload, { keystore: "{k}", password: "pw" })).toEqual({ "wallet.json": "{k}", IEXEC_WORKER_WALLET_PASSWORD: "pw" });
  });

  it("a worker: its directory at its host path, the engine's socket, its wallet read-only outside the directory", () => {
    const { container, secretFiles } = renderHostWorkload(named("m-worker-h2-1").workload, site("h2", "bridge"));
    expect(container).toMatchObject({ name: "m-worker-h2-1", runtime: "runc", network: "bridge", publish: [], labels: { "org.consortium.workerpool": "m" } });
    expect(container.binds).toEqual(["/srv/h2/m-worker-h2-1:/srv/h2/m-worker-h2-1", "/var/run/docker.sock:/var/run/docker.sock", "/etc/h2/m-worker-h2-1:/iexec-wallet:ro"]);
    expect(container.env).toMatchObject({ IEXEC_WORKER_BASE_DIR: "/srv/h2/m-worker-h2-1", IEXEC_CORE_URL: "http://10.0.0.5:13000", POOL_ADDRESS: CHAIN.poolAddress });
    expect(secretFiles).toEqual([
      { path: "wallet.json", hostPath: "/etc/h2/m-worker-h2-1/wallet.json" },
      { path: "IEXEC_WORKER_WALLET_PASSWORD", hostPath: "/etc/h2/m-worker-h2-1/IEXEC_WORKER_WALLET_PASSWORD" },
    ]);
  });

  it("the scheduler side: the core published on coreBind only, MongoDB's data at its own path, no engine socket", () => {
    const core = renderHostWorkload(named("m-core").workload, site("h1", "m-scheduler")).container;
    expect(core.publish).toEqual(["10.0.0.5:13000:13000"]);
    expect(core.binds).toEqual(["/srv/h1/m-core:/node", "/etc/h1/m-core:/iexec-wallet:ro"]);
    const mongo = renderHostWorkload(named("m-mongo").workload, site("h1", "m-scheduler")).container;
    expect(mongo).toMatchObject({ binds: ["/srv/h1/m-mongo:/data/db"], publish: [] });
  });

  it("refuses a task-starting workload that would see its directory elsewhere than on its host", () => {
    const w = { ...named("m-worker-h1-0").workload, dir: "/work" };
    expect(() => renderHostWorkload(w, site("h1", "bridge"))).toThrow("workload m-worker-h1-0: it starts task containers, so it must see its directory at its host path /srv/h1/m-worker-h1-0, not /work");
  });

  it("every other target refuses a worker rather than run it without what it asks (Kata tasks above all)", () => {
    const worker = named("m-worker-h1-0").workload;
    const tasksOnly = { ...worker, imageEntrypoint: undefined, dir: undefined, secretsDir: undefined };
    // Each renderer checks before it reads its own context (none is needed to refuse).
    const local = (w: Workload) => localProcess(w, "/tmp/w");
    const docker = (w: Workload) => renderContainer({ consortium: "c", workload: w, placement: undefined as never, published: {}, helperImage: "" });
    for (const [target, render] of [["local", local], ["docker", docker]] as const) {
      expect(() => render(worker)).toThrow(`workload m-worker-h1-0 runs its image's own entrypoint (imageEntrypoint), which the ${target} target does not do. Fix:`);
      expect(() => render(tasksOnly)).toThrow(`workload m-worker-h1-0 starts Kata task containers (tasks), which the ${target} target does not do. Fix:`);
    }
    // The consortium's own namespace runs packaged services, but has no task engine (Pod Security "restricted").
    expect(() => renderStatefulSet(kubeContext(kubeSpec()), worker)).toThrow("workload m-worker-h1-0 starts Kata task containers (tasks), which the kubernetes target does not do. Fix:");
  });
});

describe("workerPools spec", () => {
  const problems = (raw: unknown) => {
    const out: string[] = [];
    const pools = parseWorkerPools(raw, (f, w, x) => out.push(`${f}: ${w}. Fix: ${x}`));
    return { pools, out };
  };

  it("applies the documented defaults", () => {
    const [kube] = parse([kubePoolRaw()]);
    expect(kube.target).toMatchObject({ kind: "kubernetes", runtimeClassName: "kata-qemu-runtime-rs", kataDeploy: { install: true, version: POOL_DEFAULTS.kataDeploy.version }, resources: POOL_DEFAULTS.podResources, storageSize: "10Gi" });
    const [metal] = parse([{ name: "m", target: { kind: "ssh", hosts: [{ name: "h", address: "10.0.0.5", hostKey: "ssh-ed25519 AAAAC3Nza", kataArtifact: { path: "./kata.tar.xz" } }] } }]);
    expect(metal.target).toMatchObject({ schedulerHost: "h", minDockerVersion: "26.0.0", kataRuntime: KATA, coreBind: "127.0.0.1" });
    expect((metal.target as any).hosts[0]).toMatchObject({ port: 22, user: "root", dockerDaemonConfigPath: "/etc/docker/daemon.json", restartCommand: "systemctl restart docker", workers: 1 });
    expect(parseWorkerPools(undefined, () => {})).toEqual([]);
  });

  it("reports every bad field with its fix, at once", () => {
    const { pools, out } = problems([
      {
        name: "Pool",
        images: { worker: "iexechub/iexec-worker:latest", nope: "x:1" },
        target: {
          kind: "ssh",
          minDockerVersion: "new",
          hosts: [
            { name: "h", address: "10.0.0.5", kataArtifact: { url: "http://x/kata.tar.xz", sha256: "00" } },
            { name: "h", address: "bad address", hostKey: "ssh-ed25519 AAAA", kataArtifact: { url: "https://x/k.tar.xz", sha256: "zz" }, baseDir: "rel/dir" },
          ],
        },
      },
      { name: "k", target: { kind: "kubernetes", runtimeClassName: "Kata_QEMU", kataDeploy: { version: "latest" }, resources: { cpuRequest: "half" }, storageSize: 10 } },
      { name: "x", target: { kind: "vm" } },
    ]);
    expect(pools).toBeUndefined();
    const fields = out.map((o) => o.split(":")[0]);
    expect(fields).toEqual([
      "workerPools[0].name",
      "workerPools[0].images.worker",
      "workerPools[0].images.nope",
      "workerPools[0].target.hosts[0].hostKey",
      "workerPools[0].target.hosts[0].kataArtifact.url",
      "workerPools[0].target.hosts[1].address",
      "workerPools[0].target.hosts[1].kataArtifact.sha256",
      "workerPools[0].target.hosts[1].baseDir",
      "workerPools[0].target.hosts[1].name",
      "workerPools[0].target.minDockerVersion",
      "workerPools[1].target.runtimeClassName",
      "workerPools[1].target.kataDeploy.version",
      "workerPools[1].target.resources.cpuRequest",
      "workerPools[1].target.storageSize",
      "workerPools[2].target.kind",
    ]);
    expect(out.every((o) => o.includes("Fix: "))).toBe(true);
    expect(out[3]).toMatch(/trusted blindly/);
  });
});

describe("Kubernetes objects of a pool", () => {
  it("are valid against the Kubernetes schemas; each worker its own StatefulSet in the Kata RuntimeClass beside its task engine", () => {
    const [pool] = parse([kubePoolRaw({ runtimeClassName: "kata-fc" })]);
    const target = pool.target as KubernetesTargetSpec;
    const ctx = poolKubeContext(pool, target);
    const wallet = { keystore: "{}", password: "pw" };
    const items = renderPoolWorkloads(pool, kubernetesLayout(pool, target), CHAIN).map(({ workload, wallet: slot }) => ({ workload, secretValues: slot ? walletValues(workload, wallet) : {} }));
    const objects = renderKubernetesWorkloads(ctx, items);
    expect(objects.flatMap(schemaErrors)).toEqual([]);
    // Task engines are privileged (in their pods' VMs): the pool's namespace allows them, the consortium's never does.
    expect(objects[0].metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "privileged" });

    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as any;
    expect(objects.filter((o) => o.kind === "StatefulSet").map((o) => o.metadata.name)).toEqual([
      "kube-mongo", "kube-config-server", "kube-blockchain-adapter", "kube-core", "kube-result-proxy", "kube-worker-0", "kube-worker-1",
    ]);
    const worker = find("StatefulSet", "kube-worker-1").spec.template.spec;
    expect(worker.runtimeClassName).toBe("kata-fc");
    expect(worker.containers.map((c: any) => c.name)).toEqual(["iexec-worker", "task-engine"]);
    const [program, engine] = worker.containers;
    expect(program.command).toBeUndefined(); // the image's own entrypoint
    expect(program.env).toContainEqual({ name: "DOCKER_HOST", value: "tcp://localhost:2375" });
    expect(program.env).toContainEqual({ name: "IEXEC_WORKER_BASE_DIR", value: target.baseDir });
    expect(program.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(program.securityContext.privileged).toBeUndefined();
    // Its wallet only (each worker's own Secret), read-only outside the directory its tasks share.
    expect(worker.volumes.find((v: any) => v.name === "keys").secret.secretName).toBe("kube-worker-1-keys");
    expect(program.volumeMounts).toContainEqual({ name: "keys", mountPath: "/iexec-wallet", readOnly: true });
    expect(engine.volumeMounts).toContainEqual({ name: "node", mountPath: target.baseDir });
    expect(engine.volumeMounts.map((m: any) => m.name)).not.toContain("keys");
    expect(engine.securityContext).toMatchObject({ privileged: true });
    // Nothing to copy: no init container.
    expect(worker.initContainers).toBeUndefined();
    // MongoDB keeps its data at its own path; only workloads that listen have a Service.
    expect(find("StatefulSet", "kube-mongo").spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: "node", mountPath: "/data/db" });
    expect(objects.filter((o) => o.kind === "Service").map((o) => o.metadata.name)).toEqual(["kube-mongo", "kube-config-server", "kube-blockchain-adapter", "kube-core", "kube-result-proxy"]);
  });
});
