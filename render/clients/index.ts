// One entry point for every client's node rendering: the spec's client picks the renderer.
import { Client } from "../../settings/clients";
import { renderGethNode } from "../geth/node";
import { renderBesuNode } from "./besu";
import { renderNethermindNode } from "./nethermind";
import { renderOpenEthereumNode } from "./openethereum";
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

export function renderNode(p: NodeParams): RunSpec {
  const render = RENDERERS[p.spec.client];
  if (!render) throw new Error(`renderNode(${p.name}): no renderer for client ${p.spec.client}`);
  return render(p);
}
