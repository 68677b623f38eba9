// Pure parts of worker pools: the spec parser's problems and defaults, the daemon.json merge, the probe parsing and
// host checks, and the Kubernetes objects against the offline schemas.
import { describe, expect, it } from "vitest";
import { mergeDaemonJson } from "../../render/workerPool/daemonJson";
import { hostProblems, parseProbe, versionAtLeast } from "../../render/workerPool/hostScripts";
import { renderKubernetesPool } from "../../render/workerPool/kubernetes";
import { KubernetesTargetSpec, parseWorkerPools, POOL_DEFAULTS } from "../../settings/workerPool";
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
  const req = { pool: "p", daemonJsonPath: "/etc/docker/daemon.json", vhostModules: POOL_DEFAULTS.vhostModules, files: ["/x"] };
  const healthy = "kvm=yes\nmodule.vhost_net=yes\nmodule.vhost_vsock=yes\ndocker=26.1.4\ndefaultRuntime=kata\nkata=none\ndaemonJson=none\nfile.0=abc\ncontainer=/p-worker-h-0 d1 true runc\n";
  const target = { minDockerVersion: POOL_DEFAULTS.minDockerVersion, vhostModules: POOL_DEFAULTS.vhostModules };

  it("parses the probe and accepts a ready host", () => {
    const obs = parseProbe(healthy, req);
    expect(obs).toMatchObject({ kvm: true, dockerVersion: "26.1.4", defaultRuntime: "kata", files: { "/x": "abc" }, containers: { "p-worker-h-0": { digest: "d1", running: true, runtime: "runc" } } });
    expect(obs.kata).toBeUndefined();
    expect(hostProblems(obs, target)).toEqual([]);
  });

  it("names each missing piece with its fix: KVM, vhost modules, Docker ≥ 26", () => {
    const obs = parseProbe("kvm=no\nmodule.vhost_net=yes\nmodule.vhost_vsock=no\ndocker=20.10.24+dfsg1\n", req);
    const problems = hostProblems(obs, target);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^\/dev\/kvm is missing.*Fix: enable VT-x/);
    expect(problems[1]).toMatch(/vhost_vsock not loaded.*Fix: modprobe vhost_vsock/);
    expect(problems[2]).toMatch(/Docker 20\.10\.24\+dfsg1 is older than 26\.0\.0 .*Fix: upgrade/);
    expect(hostProblems(parseProbe("kvm=yes\ndocker=none\n", { ...req, vhostModules: [] }), { ...target, vhostModules: [] })).toEqual([expect.stringMatching(/no Docker engine answers/)]);
    expect([versionAtLeast("26.0.0", "26"), versionAtLeast("25.9", "26.0.0"), versionAtLeast("20.10.24+dfsg1", "20.10")]).toEqual([true, false, true]);
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
    expect(kube.target).toMatchObject({ kind: "kubernetes", runtimeClassName: "kata-qemu-runtime-rs", kataDeploy: { install: true, version: POOL_DEFAULTS.kataDeploy.version } });
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
      { name: "k", target: { kind: "kubernetes", runtimeClassName: "Kata_QEMU", kataDeploy: { version: "latest" } } },
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
      "workerPools[2].target.kind",
    ]);
    expect(out.every((o) => o.includes("Fix: "))).toBe(true);
    expect(out[3]).toMatch(/trusted blindly/);
  });
});

describe("Kubernetes objects of a pool", () => {
  it("are valid against the Kubernetes schemas; workers run in the Kata RuntimeClass beside a DinD sidecar", () => {
    const [pool] = parse([kubePoolRaw({ runtimeClassName: "kata-fc" })]);
    const objects = renderKubernetesPool({ pool, target: pool.target as KubernetesTargetSpec }, CHAIN);
    expect(objects.flatMap(schemaErrors)).toEqual([]);
    const worker = objects.find((o) => o.metadata.name === "kube-worker" && o.kind === "StatefulSet") as any;
    expect(worker.spec.template.spec.runtimeClassName).toBe("kata-fc");
    expect(worker.spec.template.spec.volumes[0].projected.sources.map((s: any) => s.secret.name)).toEqual(["kube-worker-wallet-0", "kube-worker-wallet-1"]);
    expect(objects.find((o) => o.metadata.name === "kube-mongo" && o.kind === "Service")!.spec).toMatchObject({ clusterIP: "None" });
  });
});
