// Parity-style AuRa chainspec for OpenEthereum 3.3.5 and Nethermind.
// Compared with parity-deploy's (shared/reference/parity-deploy/aura-spec.json): a real chainID, configurable step and
// gas, the fork schedule of the spec's fork level (no EIP-1283-only Constantinople), no Parity-only keys
// (wasm, kip4/kip6), builtins priced as the fork level prices them, and no prefunded public account.
import { getAddress } from "ethers";
import { ConsortiumSpec, ForkLevel } from "../../settings/consortium";
import type { PermissionsSpec } from "../../settings/permissions";
import { activates, parityTransitions } from "../forks";
import { enforcedOnChain, TX_PERMISSION_ADDRESS, txPermissionAccount, txPermissionParams } from "../permissions/txPermission";
import { allocation, hex } from "./common";

type Price = Record<string, unknown>;
interface Builtin {
  address: number;
  name: string;
  /** Activated with this fork (Frontier when absent). */
  since?: ForkLevel;
  /** Price of the newest repricing at or below the spec's fork level. */
  prices: [ForkLevel | "frontier", Price][];
}

const linear = (base: number, word: number): Price => ({ linear: { base, word } });

const BUILTINS: Builtin[] = [
  { address: 1, name: "ecrecover", prices: [["frontier", linear(3000, 0)]] },
  { address: 2, name: "sha256", prices: [["frontier", linear(60, 12)]] },
  { address: 3, name: "ripemd160", prices: [["frontier", linear(600, 120)]] },
  { address: 4, name: "identity", prices: [["frontier", linear(15, 3)]] },
  { address: 5, name: "modexp", since: "byzantium", prices: [["byzantium", { modexp: { divisor: 20 } }], ["berlin", { modexp2565: {} }]] },
  {
    address: 6,
    name: "alt_bn128_add",
    since: "byzantium",
    prices: [["byzantium", linear(500, 0)], ["istanbul", { alt_bn128_const_operations: { price: 150 } }]],
  },
  {
    address: 7,
    name: "alt_bn128_mul",
    since: "byzantium",
    prices: [["byzantium", linear(40000, 0)], ["istanbul", { alt_bn128_const_operations: { price: 6000 } }]],
  },
  {
    address: 8,
    name: "alt_bn128_pairing",
    since: "byzantium",
    prices: [
      ["byzantium", { alt_bn128_pairing: { base: 100000, pair: 80000 } }],
      ["istanbul", { alt_bn128_pairing: { base: 45000, pair: 34000 } }],
    ],
  },
  { address: 9, name: "blake2_f", since: "istanbul", prices: [["istanbul", { blake2_f: { gas_per_round: 1 } }]] },
];

function builtinAccounts(level: ForkLevel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const b of BUILTINS) {
    if (b.since && !activates(level, b.since)) continue;
    const price = b.prices.filter(([fork]) => fork === "frontier" || activates(level, fork)).at(-1)![1];
    // Balance 1 keeps the precompile accounts non-empty (EIP-161 would otherwise clear them).
    out[getAddress("0x" + b.address.toString(16).padStart(40, "0"))] = {
      balance: "0x1",
      builtin: { name: b.name, pricing: { "0x0": { price } } },
    };
  }
  return out;
}

export interface AuraChainspec {
  name: string;
  engine: { authorityRound: { params: Record<string, unknown> } };
  params: Record<string, unknown>;
  genesis: Record<string, unknown>;
  accounts: Record<string, unknown>;
}

/**
 * Renders the chainspec of an AuRa consortium whose validators are `validators` (a fixed list). With `permissions`
 * restricting transact or deploy, the genesis holds the transaction permission contract enforcing them and the params
 * name it (render/permissions/txPermission.ts).
 */
export function renderAuraChainspec(
  spec: ConsortiumSpec,
  validators: readonly string[],
  extraAlloc: Record<string, bigint> = {},
  permissions?: PermissionsSpec,
): AuraChainspec {
  if (spec.engine !== "aura") throw new Error(`renderAuraChainspec: engine is ${spec.engine}`);
  if (validators.length === 0) throw new Error("renderAuraChainspec: no validators");
  const london = activates(spec.forkLevel, "london");
  const funded = allocation(spec, extraAlloc);
  const onChain = permissions !== undefined && enforcedOnChain(permissions);
  if (onChain && funded[TX_PERMISSION_ADDRESS]) {
    throw new Error(`renderAuraChainspec: ${TX_PERMISSION_ADDRESS} is reserved for the transaction permission contract; fund another address`);
  }
  return {
    name: spec.name,
    engine: {
      authorityRound: {
        params: {
          stepDuration: spec.blockPeriodSeconds,
          validators: { list: validators.map((v) => getAddress(v)) },
          maximumUncleCountTransition: 0,
          maximumUncleCount: 0,
        },
      },
    },
    params: {
      gasLimitBoundDivisor: "0x400",
      maximumExtraDataSize: "0x20",
      minGasLimit: "0x1388",
      networkID: hex(spec.networkId),
      chainID: hex(spec.chainId),
      maxCodeSize: "0x6000",
      ...parityTransitions(spec.forkLevel),
      ...(london
        ? { eip1559BaseFeeMaxChangeDenominator: "0x8", eip1559ElasticityMultiplier: "0x2", eip1559BaseFeeInitialValue: "0x3b9aca00" }
        : {}),
      ...(onChain ? txPermissionParams() : {}),
    },
    genesis: {
      seal: { authorityRound: { step: "0x0", signature: "0x" + "00".repeat(65) } },
      difficulty: "0x20000",
      gasLimit: hex(spec.gasLimit),
    },
    accounts: { ...builtinAccounts(spec.forkLevel), ...funded, ...(onChain ? txPermissionAccount(permissions) : {}) },
  };
}
