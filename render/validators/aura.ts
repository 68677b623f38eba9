// AuRa's equivalent of a voted validator change: a validator list per block in the chainspec
// (`engine.authorityRound.params.validators.multi`, read by Nethermind and OpenEthereum). Every node must run the
// new chainspec before the first transition block; the genesis block itself does not change.
import { getAddress } from "ethers";
import { ChainFile } from "../runSpec";

export interface AuraValidator {
  address: string;
  /** First block sealed with it in the list; absent: from genesis. */
  joinedAtBlock?: number;
  /** First block sealed without it. */
  retiredAtBlock?: number;
}

export type AuraValidatorsParam = { list: string[] } | { multi: Record<string, { list: string[] }> };

/** `{ list }` for a fixed set, else `{ multi }` with the list in force from each transition block on. */
export function auraValidatorSchedule(validators: readonly AuraValidator[]): AuraValidatorsParam {
  const blocks = [...new Set([0, ...validators.flatMap((v) => [v.joinedAtBlock ?? 0, v.retiredAtBlock ?? 0])])].sort((a, b) => a - b);
  const multi: Record<string, { list: string[] }> = {};
  for (const block of blocks) {
    const list = validators
      .filter((v) => (v.joinedAtBlock ?? 0) <= block && (v.retiredAtBlock === undefined || block < v.retiredAtBlock))
      .map((v) => getAddress(v.address));
    if (list.length === 0) throw new Error(`auraValidatorSchedule: no validator from block ${block} on`);
    multi[String(block)] = { list };
  }
  return blocks.length === 1 ? multi["0"] : { multi };
}

/** The AuRa chainspec with its validator list replaced by `schedule` (same formatting as render/chain.ts). */
export function withAuraValidatorSchedule(chain: ChainFile, schedule: AuraValidatorsParam): ChainFile {
  const spec = JSON.parse(chain.content) as { engine: { authorityRound: { params: Record<string, unknown> } } };
  spec.engine.authorityRound.params.validators = schedule;
  return { path: chain.path, content: JSON.stringify(spec, null, 2) + "\n" };
}
