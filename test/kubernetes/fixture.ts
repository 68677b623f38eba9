// A deterministic 3-authority Clique/geth fleet (one member each) plus each member's RPC node on the Kubernetes target,
// shared by the tests.
// Secret values are obvious markers, never real keys: the golden file is committed.
import { computeAddress, SigningKey, toBeHex, zeroPadValue } from "ethers";
import { renderChainFile } from "../../render/chain";
import { ContainerNode, renderContainerFleet } from "../../render/containerFleet";
import { nodePublicKey } from "../../render/keys/nodeKey";
import { kubernetesAdvertise } from "../../render/kubernetes/fleet";
import { KubeContext, kubeContext, KubeNode } from "../../render/kubernetes/meta";
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
  nodes: { node: KubeNode; secretValues: Record<string, string> }[];
}

/** The fleet's nodes; `editChain` alters the genesis before the run specs are rendered. */
export function fixtureFleet(spec = kubeSpec(), editChain: (content: string) => string = (c) => c): Fleet {
  const ctx = kubeContext(spec);
  const genesis = renderChainFile(spec, { validators: AUTHORITIES.map((_, i) => addressOf(i)) });
  const chain = { ...genesis, content: editChain(genesis.content) };
  const containerNodes: ContainerNode[] = [
    ...AUTHORITIES.map((name, i) => ({ name, member: MEMBERS[i], nodePublicKey: publicKeyOf(i), sealer: true, signer: { address: addressOf(i), keystore: keystoreOf(i) } })),
    ...(ctx.fleet.rpcNode ? MEMBERS.map((member, k) => ({ name: rpcNodeName(member), member, nodePublicKey: publicKeyOf(9 + k), sealer: false })) : []),
  ];
  const runs = renderContainerFleet({ spec, chain, nodes: containerNodes, advertise: kubernetesAdvertise(ctx), externalPeers: [] });
  return {
    ctx,
    chain,
    nodes: runs.map((run, i) => {
      const role = containerNodes[i].sealer ? ("authority" as const) : ("rpc" as const);
      const m = markers(run.name);
      return { node: { role, run }, secretValues: resolveSecretFiles(run.secretFiles, role === "rpc" ? { nodeKey: m.nodeKey } : { ...m, keystore: keystoreOf(i) }) };
    }),
  };
}
