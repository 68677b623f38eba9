// The chain definition file each (engine, client) pair reads: geth genesis, Parity-style chainspec, Besu genesis.
import { ConsortiumSpec } from "../settings/consortium";
import type { PermissionsSpec } from "../settings/permissions";
import { renderAuraChainspec } from "./genesis/aura";
import { renderCliqueGenesis } from "./genesis/clique";
import { renderCliqueChainspec } from "./genesis/cliqueChainspec";
import { renderQbftGenesis } from "./genesis/qbft";
import { ChainFile } from "./runSpec";

export interface ChainMembers {
  /** Sealer addresses: Clique signers / AuRa validators (signer keys), or QBFT validators (node-key addresses). */
  validators: string[];
  /** Extra prefunded balances (the dev account), by address. */
  extraAlloc?: Record<string, bigint>;
  /** The permission policy: AuRa enforces its transact and deploy levels in a genesis contract; other engines ignore it here. */
  permissions?: PermissionsSpec;
}

const json = (o: unknown) => JSON.stringify(o, null, 2) + "\n";

export function renderChainFile(spec: ConsortiumSpec, m: ChainMembers): ChainFile {
  const alloc = m.extraAlloc ?? {};
  switch (`${spec.engine}/${spec.client}`) {
    case "clique/geth":
      return { path: "genesis.json", content: json(renderCliqueGenesis(spec, m.validators, alloc)) };
    case "clique/nethermind":
      // Nethermind gets a Parity-style chainspec, the format it documents and ships its own Clique chains in.
      return { path: "chainspec.json", content: json(renderCliqueChainspec(spec, m.validators, alloc)) };
    case "qbft/besu":
      return { path: "genesis.json", content: json(renderQbftGenesis(spec, m.validators, alloc)) };
    case "aura/nethermind":
    case "aura/openethereum":
      return { path: "chainspec.json", content: json(renderAuraChainspec(spec, m.validators, alloc, m.permissions)) };
    default:
      throw new Error(`renderChainFile: no chain file for ${spec.engine} on ${spec.client}`);
  }
}
