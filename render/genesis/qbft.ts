// Besu genesis of a QBFT consortium (block-header validator selection): validators are the node-key addresses,
// written into the genesis extraData.
// Sources: Besu's QbftExtraDataCodec (hyperledger/besu, consensus/qbft) for the extraData layout, Besu's
// JsonGenesisConfigOptions for the fork field names, and the QBFT genesis example of besu-docs
// (docs/private-networks/how-to/configure/consensus/qbft.md) for the top-level fields and the fixed mixHash.
import { decodeRlp, encodeRlp, getAddress } from "ethers";
import { ConsortiumSpec } from "../../settings/consortium";
import { gethForkBlocks } from "../forks";
import { genesisBlock } from "./common";
import type { GethGenesis } from "./clique";

/** "ctical byzantine fault tolerance" (ASCII, i.e. the tail of "practical BFT"): the mixHash every Besu BFT genesis carries (besu-docs QBFT example). */
export const QBFT_MIX_HASH = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";

/**
 * QBFT genesis `extraData`: RLP([32 zero vanity bytes, [validators], [] (no vote), round 0 (empty bytes), [] (no seals)]),
 * as Besu's `QbftExtraDataCodec.encodeFromAddresses` writes it. Validators keep the given order (Besu's own docs example
 * is unsorted; Besu keeps its validator set sorted internally, so order only has to be deterministic).
 */
export function qbftExtraData(validators: readonly string[]): string {
  const addresses = validators.map((v) => getAddress(v));
  if (new Set(addresses).size !== addresses.length) throw new Error("qbftExtraData: duplicate validator address");
  return encodeRlp(["0x" + "00".repeat(32), addresses.map((a) => a.toLowerCase()), [], "0x", []]);
}

/** The validators a QBFT extraData names (inverse of `qbftExtraData`; checks the five-item layout). */
export function qbftValidators(extraData: string): string[] {
  const items = decodeRlp(extraData);
  if (!Array.isArray(items) || items.length !== 5 || !Array.isArray(items[1])) throw new Error("qbftValidators: not a QBFT extraData");
  return items[1].map((v) => getAddress(v as string));
}

/** Besu reads Spurious Dragon from `eip158Block` and has no `eip155Block` key (JsonGenesisConfigOptions). */
function besuForkBlocks(level: ConsortiumSpec["forkLevel"]): Record<string, number> {
  const { eip155Block: _notRead, ...forks } = gethForkBlocks(level);
  return forks;
}

/**
 * Seconds a QBFT round may last before validators move to the next round. Our choice (not a Besu rule): twice the block
 * period, at least the 10 s of the besu-docs example, so a slow proposer is not skipped at every block.
 */
export function qbftRequestTimeout(blockPeriodSeconds: number): number {
  return Math.max(10, 2 * blockPeriodSeconds);
}

/** Besu reads the geth genesis shape; only `config` (qbft block, fork names) differs. */
export type BesuGenesis = GethGenesis;

/** Renders the Besu genesis; deterministic (timestamp 0) so members can check the genesis hash independently. */
export function renderQbftGenesis(spec: ConsortiumSpec, validators: readonly string[], extraAlloc: Record<string, bigint> = {}): BesuGenesis {
  if (spec.engine !== "qbft") throw new Error(`renderQbftGenesis: engine is ${spec.engine}`);
  if (validators.length === 0) throw new Error("renderQbftGenesis: no validators");
  return {
    config: {
      chainId: spec.chainId,
      ...besuForkBlocks(spec.forkLevel),
      qbft: {
        blockperiodseconds: spec.blockPeriodSeconds,
        epochlength: spec.epochLength,
        requesttimeoutseconds: qbftRequestTimeout(spec.blockPeriodSeconds),
      },
    },
    ...genesisBlock(spec, qbftExtraData(validators), QBFT_MIX_HASH, extraAlloc),
  };
}
