// Which hard forks a chain activates at genesis, per client format.
import { FORKS, ForkLevel } from "../settings/consortium";

/** True when `fork` is active at genesis for a chain at `level`. */
export function activates(level: ForkLevel, fork: ForkLevel): boolean {
  return FORKS.indexOf(fork) <= FORKS.indexOf(level);
}

// geth genesis `config` block fields, per fork (geth names forks by their EIPs up to Byzantium).
const GETH_FORK_FIELDS: Partial<Record<ForkLevel, string[]>> = {
  homestead: ["homesteadBlock"],
  tangerineWhistle: ["eip150Block"],
  spuriousDragon: ["eip155Block", "eip158Block"],
  byzantium: ["byzantiumBlock"],
  constantinople: ["constantinopleBlock"],
  petersburg: ["petersburgBlock"],
  istanbul: ["istanbulBlock"],
  berlin: ["berlinBlock"],
  london: ["londonBlock"],
};

/** geth `config` fork fields, all at block 0, up to `level` (Shanghai+ are time-based and refused by the spec). */
export function gethForkBlocks(level: ForkLevel): Record<string, number> {
  const out: Record<string, number> = {};
  for (const fork of FORKS) {
    if (!activates(level, fork)) break;
    for (const field of GETH_FORK_FIELDS[fork] ?? []) out[field] = 0;
  }
  return out;
}

// Parity-style chainspec `params` transitions, per fork (OpenEthereum / Nethermind names).
// Petersburg is Constantinople without EIP-1283, so it adds no transition; Istanbul's EIP-2200 is expressed,
// as on xDai/Gnosis, by net gas metering (1283) together with EIP-1706.
const PARITY_TRANSITIONS: Partial<Record<ForkLevel, string[]>> = {
  tangerineWhistle: ["eip150Transition"],
  spuriousDragon: ["eip155Transition", "eip160Transition", "eip161abcTransition", "eip161dTransition", "maxCodeSizeTransition"],
  byzantium: ["eip140Transition", "eip211Transition", "eip214Transition", "eip658Transition"],
  constantinople: ["eip145Transition", "eip1014Transition", "eip1052Transition"],
  istanbul: ["eip1283Transition", "eip1344Transition", "eip1706Transition", "eip1884Transition", "eip2028Transition"],
  berlin: ["eip2929Transition", "eip2930Transition"],
  london: ["eip1559Transition", "eip3198Transition", "eip3529Transition", "eip3541Transition"],
};

/** Parity-style transitions, all at block 0, up to `level`. */
export function parityTransitions(level: ForkLevel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const fork of FORKS) {
    if (!activates(level, fork)) break;
    for (const key of PARITY_TRANSITIONS[fork] ?? []) out[key] = "0x0";
  }
  return out;
}
