// One entry point for every client's node rendering: the spec's client picks the renderer.
import { Client } from "../../settings/clients";
import { GETH_FILES, renderGethNode } from "../geth/node";
import { renderBesuNode } from "./besu";
import { renderNethermindNode } from "./nethermind";
import { OPENETHEREUM_FILES, renderOpenEthereumNode } from "./openethereum";
import { NodeParams, RunSpec } from "../runSpec";

type NodeRenderer = (p: NodeParams) => RunSpec;

const RENDERERS: Record<Client, NodeRenderer> = {
  geth: renderGethNode,
  nethermind: renderNethermindNode,
  openethereum: renderOpenEthereumNode,
  besu: renderBesuNode,
};

/** The binary inside each client's image (containers run it with the run spec's args). */
export const CLIENT_BINARY: Record<Client, string> = {
  geth: "geth",
  nethermind: "/nethermind/nethermind",
  openethereum: "/home/openethereum/openethereum",
  besu: "/opt/besu/bin/besu",
};

/** One-shot init steps of each client's node (geth: `geth init`): known before any node is rendered (test/render/clients checks the renderers agree). */
export const CLIENT_INIT_STEPS: Record<Client, number> = { geth: 1, nethermind: 0, openethereum: 0, besu: 0 };

/** The IPC socket a sealer of each client listens on, relative to its directory (none: it serves JSON-RPC over HTTP on its loopback). */
export const SEALER_IPC_PATH: Record<Client, string | undefined> = { geth: GETH_FILES.ipc, openethereum: OPENETHEREUM_FILES.ipc, nethermind: undefined, besu: undefined };

/** Where each client serves its own Prometheus metrics, on its metrics port (the sources are in each renderer's comments). */
export const CLIENT_METRICS_PATH: Record<Client, string> = { geth: "/debug/metrics/prometheus", besu: "/metrics", nethermind: "/metrics", openethereum: "/metrics" };

export function renderNode(p: NodeParams): RunSpec {
  const render = RENDERERS[p.spec.client];
  if (!render) throw new Error(`renderNode(${p.name}): no renderer for client ${p.spec.client}`);
  return render(p);
}
