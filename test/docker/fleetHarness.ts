// Shared set-up of the real Docker fleet test: dev spec, generated keys (authorities, then each member's RPC node),
// a network on a subnet nobody uses yet.
import { createServer } from "node:net";
import { FleetNodeKeys } from "../../render/fleet";
import { renderChainFile } from "../../render/chain";
import { DockerFleetPlan, renderDockerFleet } from "../../render/docker/fleet";
import { SecretValues } from "../../render/secrets";
import { generateKey } from "../../lib/keygen";
import { createNetwork } from "../../testkit/docker/runner";
import { ConsortiumSpec, rpcMembers, rpcNodeName } from "../../settings/consortium";
import { parseConsortiumSpec } from "../../settings/parse";

export interface FleetFixture {
  spec: ConsortiumSpec;
  plan: DockerFleetPlan;
  signers: string[];
  /** Key material per node name (test memory only). */
  secrets: Record<string, SecretValues>;
}

/** `count` consecutive ports free on 127.0.0.1 (RPC nodes on one engine publish from the first one up); the first. */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await freePort();
    const rest = await Promise.all(Array.from({ length: count - 1 }, (_, i) => portIsFree(first + 1 + i)));
    if (rest.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Dev spec, keys (cheap scrypt), plan, and its network created on a random free 10.213.x.0/24; `prefunded` accounts get 1 ether in the genesis. */
export async function createFleetFixture(opts: { name: string; gethImage: string; helperImage: string; authorities: string[]; prefunded?: string[] }): Promise<FleetFixture> {
  const spec = parseConsortiumSpec({
    name: opts.name,
    chainId: 31517,
    dev: true,
    blockPeriodSeconds: 1,
    scryptN: 2 ** 12,
    authorities: opts.authorities.map((name, i) => ({ name, member: `org-${i}` })),
    ...(opts.prefunded ? { prefunded: opts.prefunded.map((address) => ({ address, balanceWei: (10n ** 18n).toString() })) } : {}),
    fleet: { target: "docker", rpcNode: true, images: { geth: opts.gethImage } },
  });
  const secrets: Record<string, SecretValues> = {};
  const nodes: FleetNodeKeys[] = [];
  for (const a of spec.authorities) {
    const signer = await generateKey({ kind: "signer", scryptN: spec.keys.scryptN });
    const node = await generateKey({ kind: "node" });
    secrets[a.name] = { nodeKey: node.privateKey!, password: signer.password!, keystore: signer.keystore! };
    nodes.push({ name: a.name, member: a.member, nodePublicKey: node.publicKey!, sealer: true, signer: { address: signer.address!, keystore: signer.keystore! } });
  }
  for (const member of rpcMembers(spec)) {
    const rpc = await generateKey({ kind: "node" });
    secrets[rpcNodeName(member)] = { nodeKey: rpc.privateKey! };
    nodes.push({ name: rpcNodeName(member), member, nodePublicKey: rpc.publicKey!, sealer: false });
  }
  const signers = nodes.filter((n) => n.signer).map((n) => n.signer!.address);
  const chain = renderChainFile(spec, { validators: signers });
  const rpcHostPort = await freePorts(rpcMembers(spec).length);

  for (let attempt = 0; ; attempt++) {
    const subnet = `10.213.${Math.floor(Math.random() * 256)}.0/24`;
    const plan = renderDockerFleet({ spec, chain, nodes, externalPeers: [], subnet, rpcHostPort, helperImage: opts.helperImage });
    try {
      await createNetwork(plan.networks[0]);
      return { spec, plan, signers, secrets };
    } catch (e) {
      if (attempt >= 5 || !/overlap/i.test(String(e))) throw e;
    }
  }
}
