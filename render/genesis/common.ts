import { getAddress } from "ethers";
import { ConsortiumSpec } from "../../settings/consortium";

export const ZERO_HASH = "0x" + "00".repeat(32);

export function hex(n: bigint | number): string {
  return "0x" + n.toString(16);
}

/** Prefunded balances: configured accounts plus extra ones (the generated dev account), keyed by checksummed address. */
export function allocation(spec: ConsortiumSpec, extra: Record<string, bigint>): Record<string, { balance: string }> {
  const out: Record<string, { balance: string }> = {};
  const add = (address: string, wei: bigint) => {
    const key = getAddress(address);
    if (out[key]) throw new Error(`genesis allocation: ${key} is funded twice`);
    out[key] = { balance: hex(wei) };
  };
  for (const a of spec.prefunded) add(a.address, a.balanceWei);
  for (const [address, wei] of Object.entries(extra)) add(address, wei);
  return out;
}

/** The genesis block fields both geth and Besu read, deterministic (timestamp 0) so members can check its hash. */
export function genesisBlock(spec: ConsortiumSpec, extraData: string, mixHash: string, extraAlloc: Record<string, bigint>) {
  return {
    nonce: "0x0",
    timestamp: "0x0",
    extraData,
    gasLimit: hex(spec.gasLimit),
    difficulty: "0x1",
    mixHash,
    coinbase: "0x" + "00".repeat(20),
    alloc: allocation(spec, extraAlloc),
    number: "0x0",
    gasUsed: "0x0",
    parentHash: ZERO_HASH,
  };
}
