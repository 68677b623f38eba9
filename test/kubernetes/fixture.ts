// A deterministic 3-authority Clique/geth fleet (one member each) plus each member's RPC node on the Kubernetes target,
// shared by the tests.
// Secret values are obvious markers, never real keys: the golden file is committed.
import { computeAddress, SigningKey, toBeHex, zeroPadValue } from "ethers";
import { renderChainFile } from "../../render/chain";
import { FleetNodeKeys, renderFleet } from "../../render/fleet";
import { nodePublicKey } from "../../render/keys/nodeKey";
import { KubeContext, kubeContext } from "../../render/kubernetes/meta";
import { kubernetesSites } from "../../render/kubernetes/sites";
import { clientImage, nodeWorkload } from "../../render/nodeWorkload";
import { Workload } from "../../render/workload";
import { ChainFile } from "../../render/runSpec";
import { resolveSecretFiles } from "../../render/secrets";
import { ConsortiumSpec, rpcNodeName } from "../../settings/consortium";
import { parseConsortiumSpec } from "../../settings/parse";

export const AUTHORITIES = ["alpha", "beta", "gamma"];
export const MEMBERS = ["org-1", "org-2", "org-3"];
/** The members' RPC nodes, in member order. */
export const RPC_NODES = MEMBERS.map(rpcNodeName);

export function kubeSpec(fleet: Record<string, unknown> = {}): ConsortiumSpec {
  return parseConsortiumSpec({
    name: "acme",
    chainId: 31415,
    authorities: AUTHORITIES.map((name, i) => ({ name, member: MEMBERS[i] })),
    fleet: { target: "kubernetes", namespace: "acme-chain", storageClass: "fast-ssd", ...fleet },
  });
}

const key = (n: number) => zeroPadValue(toBeHex(n), 32);
/** Public parts only: node public keys and signer addresses of fixed test keys. */
export const publicKeyOf = (i: number) => nodePublicKey(key(0x1000 + i));
export const addressOf = (i: number) => computeAddress(new SigningKey(key(0x2000 + i)).publicKey);
/** An encrypted-keystore stand-in: renderers only read its address. */
export const keystoreOf = (i: number) => JSON.stringify({ version: 3, id: `00000000-0000-4000-8000-00000000000${i}`, address: addressOf(i).slice(2).toLowerCase(), crypto: { note: "test stand-in" } });

export const markers = (name: string) => ({ nodeKey: `MARKER-NODEKEY-${name}`, password: `MARKER-PASSWORD-${name}` });

export interface Fleet {
  ctx: KubeContext;
  chain: ChainFile;
  nodes: { workload: Workload; secretValues: Record<string, string> }[];
}

/** The fleet's nodes; `editChain` alters the genesis before the run specs are rendered. */
export function fixtureFleet(spec = kubeSpec(), editChain: (content: string) => string = (c) => c): Fleet {
  const ctx = kubeContext(spec);
  const genesis = renderChainFile(spec, { validators: AUTHORITIES.map((_, i) => addressOf(i)) });
  const chain = { ...genesis, content: editChain(genesis.content) };
  const fleetNodes: FleetNodeKeys[] = [
    ...AUTHORITIES.map((name, i) => ({ name, member: MEMBERS[i], nodePublicKey: publicKeyOf(i), sealer: true, signer: { address: addressOf(i), keystore: keystoreOf(i) } })),
    ...(spec.fleet.rpcNode ? MEMBERS.map((member, k) => ({ name: rpcNodeName(member), member, nodePublicKey: publicKeyOf(9 + k), sealer: false })) : []),
  ];
  const runs = renderFleet({ spec, chain, nodes: fleetNodes, sites: kubernetesSites(ctx, fleetNodes), externalPeers: [] });
  return {
    ctx,
    chain,
    nodes: runs.map((run, i) => {
      const role = fleetNodes[i].sealer ? ("authority" as const) : ("rpc" as const);
      const m = markers(run.name);
      const workload = nodeWorkload({ spec, run, member: fleetNodes[i].member, role, image: clientImage(spec) });
      return { workload, secretValues: resolveSecretFiles(run.secretFiles, role === "rpc" ? { nodeKey: m.nodeKey } : { ...m, keystore: keystoreOf(i) }) };
    }),
  };
}
