// "Member hosts" for the federated tests: one network namespace per organisation, each with its own address on a
// bridge this harness makes (MEMBER_NET), its loopback up, and nothing else — separate machines as far as the network
// goes. A member's `pulumi up` runs inside its host: `pulumiRoot` holds a `pulumi` that enters the namespace first,
// so the engine, its language host and the processes the local target starts (geth) all live there. Files are shared
// (one machine): each member's backend, work dir and key directory are folders of their own.
// Root only; one set at a time per machine (fixed names and address range), held by a lock file: a second run is
// refused while the first one's process lives, instead of sweeping away the hosts that run stands on. Stopped, it
// leaves no namespace, link, rule or lock behind.
import { execa, ResultPromise } from "execa";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processAlive } from "../lib/processAlive";
import { ensurePrograms } from "./debianPackages";

/** The bridge, its /24 (the bridge is .1, member i is .(i+2)) and the prefix of every name the harness makes. */
export const MEMBER_NET = { bridge: "cdfed0", prefix: "10.79.0", namePrefix: "cdfed-" };
const FORWARD_RULE = `-i ${MEMBER_NET.bridge} -o ${MEMBER_NET.bridge} -m comment --comment consortium-member-hosts -j ACCEPT`;

export interface MemberHost {
  /** The member (organisation) it stands for. */
  member: string;
  /** Its network namespace. */
  namespace: string;
  /** Its address on the members' network: where the other members reach it. */
  address: string;
  /** A Pulumi CLI root (Automation API's PulumiCommand) whose `pulumi` runs inside this host. */
  pulumiRoot: string;
  /** Runs a command inside this host; its standard output. */
  run(command: string[]): Promise<string>;
  /** Starts a long-running command inside this host (it dies with the host at the latest). */
  start(command: string[]): ResultPromise;
  /**
   * Makes a service on this host's loopback reachable at `address:publicPort`, as a member exposes its RPC node to the
   * consortium's users through a reverse proxy: a TCP relay inside the host. Resolves once it listens.
   */
  publish(loopbackPort: number, publicPort: number): Promise<void>;
  /** Cuts this host off the members' network (`false`) or plugs it back in. */
  setLinked(up: boolean): Promise<void>;
}

/** A TCP relay from `listen` to 127.0.0.1:`target`, as a Node.js one-liner (no proxy package in the host). */
const relayScript = (address: string, listen: number, target: number) =>
  `const net=require("net");net.createServer((c)=>{const u=net.connect(${target},"127.0.0.1");c.pipe(u).pipe(c);u.on("error",()=>c.destroy());c.on("error",()=>u.destroy())}).listen(${listen},"${address}",()=>console.log("listening"))`;

export interface MemberHosts {
  hosts: MemberHost[];
  stop(): Promise<void>;
}

const sh = async (cmd: string) => {
  await execa("sh", ["-c", cmd]);
};
const hostLink = (i: number) => `${MEMBER_NET.namePrefix}h${i}`;
const nsLink = (i: number) => `${MEMBER_NET.namePrefix}n${i}`;

/** Who holds the machine's member hosts: a file with the holder's pid, created exclusively. */
const LOCK_FILE = join(tmpdir(), `${MEMBER_NET.namePrefix}hosts.lock`);

/** Takes the lock, or throws naming the live run that holds it; a dead holder's lock (a killed run) is taken over. */
function lockHosts(): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(LOCK_FILE, String(process.pid), { flag: "wx" });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number(readFileSync(LOCK_FILE, "utf8"));
      if (processAlive(holder)) throw new Error(`the member hosts (${MEMBER_NET.namePrefix}*, ${MEMBER_NET.prefix}.0/24) are in use by process ${holder}, another test run on this machine: wait for it to end`);
      rmSync(LOCK_FILE, { force: true });
    }
  }
  throw new Error(`could not take ${LOCK_FILE}`);
}

/** Removes whatever an earlier run left (namespaces, links, the bridge, the FORWARD rule). */
async function sweep(): Promise<void> {
  const { stdout } = await execa("ip", ["netns", "list"]);
  for (const ns of stdout.split("\n").map((l) => l.split(" ")[0]).filter((n) => n.startsWith(MEMBER_NET.namePrefix))) {
    // Whatever still runs inside dies with it: no process of a test outlives the host it stood on.
    await sh(`ip netns pids ${ns} | xargs -r kill -9; ip netns del ${ns}`);
  }
  await sh(`ip link del ${MEMBER_NET.bridge} 2>/dev/null || true`);
  await sh(`while iptables -D FORWARD ${FORWARD_RULE} 2>/dev/null; do :; done`);
}

/** One host per member, addressed in order from .2; `pulumi` is the real CLI at `realPulumiRoot`/bin/pulumi. */
export async function startMemberHosts(members: readonly string[], realPulumiRoot: string): Promise<MemberHosts> {
  if (process.getuid?.() !== 0) throw new Error("member hosts need root (network namespaces)");
  await ensurePrograms({ ip: "iproute2", iptables: "iptables" }, () => {});
  lockHosts();
  await sweep();
  const roots = await mkdtemp(join(tmpdir(), "member-hosts-"));
  await sh(`ip link add ${MEMBER_NET.bridge} type bridge && ip addr add ${MEMBER_NET.prefix}.1/24 dev ${MEMBER_NET.bridge} && ip link set ${MEMBER_NET.bridge} up`);
  // Bridged traffic passes iptables' FORWARD where br_netfilter is loaded; a Docker engine makes its policy DROP.
  await sh(`iptables -I FORWARD ${FORWARD_RULE}`);
  const hosts: MemberHost[] = [];
  for (const [i, member] of members.entries()) {
    const namespace = `${MEMBER_NET.namePrefix}${member}`;
    const address = `${MEMBER_NET.prefix}.${i + 2}`;
    await sh(
      [
        `ip netns add ${namespace}`,
        `ip link add ${hostLink(i)} type veth peer name ${nsLink(i)}`,
        `ip link set ${nsLink(i)} netns ${namespace}`,
        `ip link set ${hostLink(i)} master ${MEMBER_NET.bridge} up`,
        `ip -n ${namespace} addr add ${address}/24 dev ${nsLink(i)}`,
        `ip -n ${namespace} link set ${nsLink(i)} up`,
        `ip -n ${namespace} link set lo up`,
      ].join(" && "),
    );
    const pulumiRoot = join(roots, member);
    await mkdir(join(pulumiRoot, "bin"), { recursive: true });
    const wrapper = join(pulumiRoot, "bin", "pulumi");
    await writeFile(wrapper, `#!/bin/sh\nexec ip netns exec ${namespace} ${join(realPulumiRoot, "bin", "pulumi")} "$@"\n`);
    await chmod(wrapper, 0o755);
    hosts.push({
      member,
      namespace,
      address,
      pulumiRoot,
      run: async (command) => (await execa("ip", ["netns", "exec", namespace, ...command])).stdout,
      start: (command) => execa("ip", ["netns", "exec", namespace, ...command], { reject: false }),
      publish: async (loopbackPort, publicPort) => {
        const relay = execa("ip", ["netns", "exec", namespace, process.execPath, "-e", relayScript(address, publicPort, loopbackPort)], { reject: false });
        await new Promise<void>((resolve, reject) => {
          relay.stdout.once("data", () => resolve());
          void relay.then((r) => reject(new Error(`relay on ${address}:${publicPort} exited: ${r.stderr}`)));
        });
      },
      setLinked: (up) => sh(`ip -n ${namespace} link set ${nsLink(i)} ${up ? "up" : "down"}`),
    });
  }
  return {
    hosts,
    async stop() {
      await sweep();
      await rm(roots, { recursive: true, force: true });
      rmSync(LOCK_FILE, { force: true });
    },
  };
}
