// Clique genesis for geth (and Nethermind, which reads the same file in its geth-genesis mode).
import { getAddress } from "ethers";
import { ConsortiumSpec } from "../../settings/consortium";
import { gethForkBlocks } from "../forks";
import { genesisBlock, ZERO_HASH } from "./common";

export interface GethGenesis {
  config: Record<string, unknown>;
  nonce: string;
  timestamp: string;
  extraData: string;
  gasLimit: string;
  difficulty: string;
  mixHash: string;
  coinbase: string;
  alloc: Record<string, { balance: string }>;
  number: string;
  gasUsed: string;
  parentHash: string;
}

/** `extraData` of a Clique genesis: 32 vanity bytes ‖ signer addresses sorted ascending ‖ 65-byte empty seal. */
export function cliqueExtraData(signers: readonly string[]): string {
  const sorted = [...new Set(signers.map((a) => getAddress(a).toLowerCase()))].sort();
  if (sorted.length !== signers.length) throw new Error("cliqueExtraData: duplicate signer address");
  return "0x" + "00".repeat(32) + sorted.map((a) => a.slice(2)).join("") + "00".repeat(65);
}

/**
 * Renders the geth `genesis.json` of a Clique consortium. Deterministic: timestamp 0, so the same spec and keys
 * always give the same genesis hash (members can check it independently).
 */
export function renderCliqueGenesis(spec: ConsortiumSpec, signers: readonly string[], extraAlloc: Record<string, bigint> = {}): GethGenesis {
  if (spec.engine !== "clique") throw new Error(`renderCliqueGenesis: engine is ${spec.engine}`);
  if (signers.length === 0) throw new Error("renderCliqueGenesis: no signers");
  return {
    config: {
      chainId: spec.chainId,
      ...gethForkBlocks(spec.forkLevel),
      clique: { period: spec.blockPeriodSeconds, epoch: spec.epochLength },
    },
    ...genesisBlock(spec, cliqueExtraData(signers), ZERO_HASH, extraAlloc),
  };
}
