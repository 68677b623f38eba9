// The SSH path for real: two test-made hosts (own sshd, own dockerd, see test/support/sshHosts.ts) are prepared and
// get their workers; a second apply changes nothing; an out-of-band daemon.json edit and a removed container are
// read as drift; a host that fails a check gets a clear error naming it, and neither it nor the other host changes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKey } from "../../lib/keygen";
import { applyContainer, ContainerInputs, containerDrift, ContainerState, readContainer } from "../../lib/sshHosts/container";
import { applyHost, hostDrift, HostInputs, hostInputs, HostState, readHost, connectionOf } from "../../lib/sshHosts/setup";
import { renderHostWorkload } from "../../render/sshHosts/container";
import { POOL_GROUPS, renderPoolWorkloads, sshLayout, Wallet, walletValues, workerName } from "../../render/workerPool/workloads";
import { SshTargetSpec } from "../../settings/workerPool";
import { ensureHostTools, loadTestDoubleImages, makeKataArtifactStandIn, startTestHost, TestHost } from "../support/sshHosts";
import { CHAIN, parse, sshPoolRaw, TEST_DOUBLE_POOL_IMAGES } from "./fixture";

const wallet = async (): Promise<Wallet> => {
  const k = await generateKey({ kind: "signer", scryptN: 1024 });
  return { keystore: k.keystore!, password: k.password! };
};

/** One host's part of the pool: its setup, then its workloads' containers (as the SSH-hosts target declares them). */
interface HostPlan {
  setup: HostInputs;
  containers: ContainerInputs[];
}

let work: string;
let hosts: TestHost[] = [];
let plans: HostPlan[] = [];
let kataArtifact: string;

async function plan(list: TestHost[]): Promise<HostPlan[]> {
  const [pool] = parse([sshPoolRaw(list, kataArtifact)]);
  const target = pool.target as SshTargetSpec;
  const layout = sshLayout(pool, target);
  const wallets = new Map<string, Wallet>([["scheduler", await wallet()]]);
  for (const w of layout.workers) wallets.set(w.key, await wallet());
  const workloads = renderPoolWorkloads(pool, layout, CHAIN);
  return target.hosts.map((host) => ({
    setup: hostInputs(pool.name, target, host),
    containers: workloads
      .filter((p) => p.host === host.name)
      .map(({ workload, wallet: slot }) => {
        // The target's networks: the scheduler side's own, the workers on the target's.
        const network = workload.group === POOL_GROUPS.scheduler ? `${pool.name}-${workload.group}` : target.network;
        const r = renderHostWorkload(workload, { owner: pool.name, baseDir: host.baseDir, secretsDir: host.secretsDir, network, publishOn: target.coreBind });
        const values = slot ? walletValues(workload, wallets.get(slot)!) : {};
        return { connection: connectionOf(host), container: r.container, files: r.secretFiles.map((f) => ({ path: f.hostPath, content: values[f.path] })) };
      }),
  }));
}

interface Applied {
  setup: HostState;
  containers: ContainerState[];
}

/** Applies a host's plan as the engine would: its setup, then its containers. */
async function apply(p: HostPlan, log: (m: string) => void = () => {}): Promise<Applied> {
  const setup = await applyHost(p.setup, log);
  const containers = await Promise.all(p.containers.map((c) => applyContainer(c, log)));
  return { setup, containers };
}

const drift = (a: Applied) => [...hostDrift(a.setup), ...a.containers.flatMap(containerDrift)];

beforeAll(async () => {
  await ensureHostTools();
  work = await mkdtemp(join(tmpdir(), "wp-test-"));
  kataArtifact = await makeKataArtifactStandIn(work);
  hosts = await Promise.all(["a", "b"].map((name) => startTestHost({ name, modules: ["vhost_net", "vhost_vsock"], kvm: true })));
  for (const h of hosts) {
    // An operator's existing setting, which the merge must keep.
    await h.sh(`printf '{"log-level": "warn"}\\n' > /etc/docker/daemon.json`);
    await loadTestDoubleImages(h, Object.values(TEST_DOUBLE_POOL_IMAGES).filter((i) => !i.includes("iexec-worker")));
  }
  plans = await plan(hosts);
}, 300_000);

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  if (work) await rm(work, { recursive: true, force: true });
});

describe("bare-metal pool over SSH (real sshd + dockerd hosts)", () => {
  let states: Applied[];

  it("prepares both hosts and starts the workers with runc, whose task containers get the kata runtime", async () => {
    const log: string[] = [];
    states = await Promise.all(plans.map((p) => apply(p, (m) => log.push(m))));
    expect(log.filter((m) => m.includes("restarting dockerd"))).toHaveLength(2);
    for (const [i, h] of hosts.entries()) {
      expect(drift(states[i])).toEqual([]);
      const daemon = JSON.parse(await h.sh("cat /etc/docker/daemon.json"));
      expect(daemon).toEqual({ "log-level": "warn", runtimes: { kata: { path: "runc" } }, "default-runtime": "kata" });
      expect(await h.sh("docker info --format '{{.DefaultRuntime}}'")).toBe("kata");
      expect(await h.sh("cat /opt/kata/.consortium-artifact")).toMatch(/^[0-9a-f]{64}$/);

      const worker = workerName("metal", h.name, 0);
      expect(await h.sh(`docker inspect --format '{{.HostConfig.Runtime}} {{.State.Running}}' ${worker}`)).toBe("runc true");
      const env = await h.sh(`docker inspect --format '{{join .Config.Env "\\n"}}' ${worker}`);
      expect(env).toContain("IEXEC_CORE_URL=http://127.0.0.1:13000");
      expect(env).toContain(`POOL_ADDRESS=${CHAIN.poolAddress}`);
      expect(env).not.toMatch(/PASSWORD=/); // the password is a file, never an environment variable
      const baseDir = `${h.baseDir}/${worker}`;
      expect(await h.sh(`docker inspect --format '{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}' ${worker}`)).toContain(`${baseDir}:${baseDir}`);
      expect(await h.sh(`stat -c '%a' ${h.secretsDir}/${worker}/wallet.json ${h.secretsDir}/${worker}/IEXEC_WORKER_WALLET_PASSWORD ${h.secretsDir}/${worker}`)).toBe("600\n600\n700");

      // The stand-in worker started a task container through the Docker API without naming a runtime: it got kata.
      let task = "";
      for (let t = 0; t < 60 && !task; t++) {
        task = await h.sh(`docker ps -q --filter label=test-double.worker=${worker}`);
        if (!task) await new Promise((r) => setTimeout(r, 500));
      }
      expect(await h.sh(`docker inspect --format '{{.HostConfig.Runtime}}' ${task}`)).toBe("kata");
    }
    // The scheduler side runs on host a only, on its private network, with runc.
    expect(await hosts[0].sh("docker inspect --format '{{.HostConfig.Runtime}} {{.HostConfig.NetworkMode}}' metal-core metal-mongo")).toBe(
      "runc metal-scheduler\nrunc metal-scheduler",
    );
    expect(await hosts[1].sh("docker ps -q --filter name=metal-core")).toBe("");
  }, 240_000);

  it("a second apply changes nothing", async () => {
    const ids = await Promise.all(hosts.map((h) => h.sh("docker ps -q --no-trunc | sort")));
    const pids = await Promise.all(hosts.map((h) => h.sh("cat /run/docker.pid")));
    const log: string[] = [];
    const again = await Promise.all(plans.map((p) => apply(p, (m) => log.push(m))));
    expect(log).toEqual([]);
    expect(await Promise.all(hosts.map((h) => h.sh("docker ps -q --no-trunc | sort")))).toEqual(ids);
    expect(await Promise.all(hosts.map((h) => h.sh("cat /run/docker.pid")))).toEqual(pids);
    expect(again.map((s) => s.setup.daemonJsonDigest)).toEqual(states.map((s) => s.setup.daemonJsonDigest));
  }, 120_000);

  it("read reports an out-of-band daemon.json edit and a removed worker as drift; apply heals both", async () => {
    const [a, b] = hosts;
    await a.sh(`sed -i 's/"warn"/"debug"/' /etc/docker/daemon.json`);
    await b.sh(`docker rm -f ${workerName("metal", "b", 0)}`);
    const read = await Promise.all(states.map(async (a) => ({ setup: await readHost(a.setup), containers: await Promise.all(a.containers.map(readContainer)) })));
    expect(drift(read[0])).toEqual(["/etc/docker/daemon.json changed"]);
    expect(drift(read[1])).toEqual([`container ${workerName("metal", "b", 0)} is gone`]);

    const log: string[] = [];
    states = await Promise.all(plans.map((p) => apply(p, (m) => log.push(m))));
    // The operator's edit is kept (Kata settings were intact): no rewrite, no restart.
    expect(JSON.parse(await a.sh("cat /etc/docker/daemon.json"))["log-level"]).toBe("debug");
    expect(log).toEqual([`b: (re)creating container ${workerName("metal", "b", 0)}`]);
    expect(states.flatMap(drift)).toEqual([]);
  }, 120_000);

  it("a host without /dev/kvm is refused with the fix, and nothing changes on it", async () => {
    // The same host as a and b but for the /dev/kvm stand-in: whatever this machine has, this host has no KVM.
    const noKvm = await startTestHost({ name: "d", modules: ["vhost_net", "vhost_vsock"], kvm: false });
    try {
      expect(await noKvm.sh("test -c /dev/kvm && echo present || echo absent")).toBe("absent");
      expect(await hosts[0].sh("test -c /dev/kvm && echo present || echo absent")).toBe("present");
      await noKvm.sh(`printf '{"log-level": "warn"}\\n' > /etc/docker/daemon.json`);
      const before = await noKvm.sh("sha256sum /etc/docker/daemon.json; docker ps -aq --no-trunc | sort");
      const [, , planD] = await plan([...hosts, noKvm]);
      await expect(apply(planD)).rejects.toThrow(
        /^host d: not ready for Kata, nothing was changed:\n  - \/dev\/kvm is missing: Kata runs each task in a VM\. Fix: enable VT-x\/AMD-V/,
      );
      expect(await noKvm.sh("sha256sum /etc/docker/daemon.json; docker ps -aq --no-trunc | sort")).toBe(before);
      expect(await noKvm.sh("test -e /opt/kata && echo installed || echo absent")).toBe("absent");
    } finally {
      await noKvm.stop();
    }
  }, 240_000);

  it("a host that fails a check gets a clear error naming it; nothing changes on it or on the other hosts", async () => {
    const bad = await startTestHost({ name: "c", modules: ["vhost_net"], kvm: true });
    try {
      await bad.sh(`printf '{"log-level": "warn"}\\n' > /etc/docker/daemon.json`);
      const before = await Promise.all([...hosts, bad].map((h) => h.sh("sha256sum /etc/docker/daemon.json; docker ps -q --no-trunc | sort")));
      const [, , badPlan] = await plan([...hosts, bad]);
      const results = await Promise.allSettled([...plans, badPlan].map((p) => apply(p)));
      expect(results.slice(0, 2).map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
      const failure = results[2] as PromiseRejectedResult;
      expect(failure.reason.message).toMatch(/^host c: not ready for Kata, nothing was changed:\n  - kernel module\(s\) vhost_vsock not loaded.*Fix: modprobe vhost_vsock/s);
      const after = await Promise.all([...hosts, bad].map((h) => h.sh("sha256sum /etc/docker/daemon.json; docker ps -q --no-trunc | sort")));
      expect(after).toEqual(before);
      expect(await bad.sh("test -e /opt/kata && echo installed || echo absent")).toBe("absent");

      // An unreachable host: the error names it and where it was dialled.
      const badInputs = badPlan.setup;
      const gone = { ...badInputs, connection: { ...badInputs.connection, port: 1 } };
      await expect(applyHost(gone)).rejects.toThrow(/^host c: cannot connect over SSH to root@127\.0\.0\.1:1: /);
      // A host presenting another key than the pinned one is refused.
      const spoofed = { ...badInputs, connection: { ...badInputs.connection, hostKey: hosts[0].hostKey } };
      await expect(applyHost(spoofed)).rejects.toThrow(/^host c: .* presented a host key other than the pinned ssh-ed25519 key: refusing to connect/);
      // A workload's container resource dials its host itself, pinned alike: nothing is written to an impostor.
      await expect(applyContainer({ ...badPlan.containers[0], connection: spoofed.connection })).rejects.toThrow(/^host c: .* presented a host key other than the pinned ssh-ed25519 key/);
    } finally {
      await bad.stop();
    }
  }, 240_000);
});
