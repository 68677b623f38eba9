// Parity-style chainspec of a Clique consortium, for Nethermind.
// Shape checked against Nethermind's own Clique chainspec, src/Nethermind/Chains/goerli.json (NethermindEth/nethermind):
// `engine.clique.params {period, epoch}`, `genesis.seal.ethereum {nonce, mixHash}`, `author`, `extraData` holding the
// signers exactly as in a geth Clique genesis, and `params.maximumExtraDataSize` "0xffff" (Clique's extraData is longer
// than the 32 bytes an AuRa chain allows).
import { ConsortiumSpec } from "../../settings/consortium";
import { AuraChainspec, renderAuraChainspec } from "./aura";
import { cliqueExtraData } from "./clique";
import { hex, ZERO_HASH } from "./common";

export interface CliqueChainspec {
  name: string;
  engine: { clique: { params: { period: number; epoch: number } } };
  params: Record<string, unknown>;
  genesis: Record<string, unknown>;
  accounts: Record<string, unknown>;
}

/**
 * Renders the chainspec of a Clique consortium whose signers are `signers` (sorted into extraData, as geth does).
 * Params (fork transitions, chain and network id), builtins and allocations are the AuRa renderer's: only the engine
 * and the genesis seal differ between the two Parity-style specs, so they are taken from it rather than copied.
 */
export function renderCliqueChainspec(spec: ConsortiumSpec, signers: readonly string[], extraAlloc: Record<string, bigint> = {}): CliqueChainspec {
  if (spec.engine !== "clique") throw new Error(`renderCliqueChainspec: engine is ${spec.engine}`);
  if (signers.length === 0) throw new Error("renderCliqueChainspec: no signers");
  const shared: AuraChainspec = renderAuraChainspec({ ...spec, engine: "aura" }, signers, extraAlloc);
  return {
    name: shared.name,
    engine: { clique: { params: { period: spec.blockPeriodSeconds, epoch: spec.epochLength } } },
    params: { ...shared.params, maximumExtraDataSize: "0xffff" },
    genesis: {
      seal: { ethereum: { nonce: "0x0000000000000000", mixHash: ZERO_HASH } },
      difficulty: "0x1",
      author: "0x" + "00".repeat(20),
      // Timestamp 0, as in the geth genesis: the same spec and keys always give the same genesis hash.
      timestamp: "0x0",
      parentHash: ZERO_HASH,
      extraData: cliqueExtraData(signers),
      gasLimit: hex(spec.gasLimit),
    },
    accounts: shared.accounts,
  };
}
