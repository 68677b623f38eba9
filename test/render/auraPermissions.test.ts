// render/genesis/aura.ts with a permission policy: the transaction permission contract in the genesis and the params
// naming it, in the formats OpenEthereum 3.3.5 and Nethermind parse (no AuRa client runs here: the keys are checked
// against their chain spec parsers, cited below; test/permissions/txPermission.test.ts runs the account on geth).
import { AbiCoder, getAddress, keccak256, toBeHex, zeroPadValue } from "ethers";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderChainFile } from "../../render/chain";
import { renderAuraChainspec } from "../../render/genesis/aura";
import { TX_PERMISSION_ADDRESS } from "../../render/permissions/txPermission";
import type { PermissionsSpec } from "../../settings/permissions";
import { clientSpec, validatorsOf } from "./clients/fixtures";
import { expectGolden } from "./golden";

const DEPLOYER = getAddress("0x00000000000000000000000000000000000d0001");
const USER = getAddress("0x00000000000000000000000000000000000d0002");
const MULTISIG = getAddress("0x00000000000000000000000000000000000d00ff");
const POLICY: PermissionsSpec = { read: "keys", transact: [DEPLOYER, USER], deploy: [DEPLOYER], owner: MULTISIG };

const RUNTIME = (JSON.parse(readFileSync(join(__dirname, "..", "..", "contracts", "build", "TxPermission.json"), "utf8")) as { deployedBytecode: string }).deployedBytecode;

interface Chainspec {
  params: Record<string, unknown>;
  accounts: Record<string, Record<string, unknown>>;
}

const spec = clientSpec("aura", "nethermind");
const render = (permissions?: PermissionsSpec) => renderAuraChainspec(spec, validatorsOf(spec), {}, permissions) as unknown as Chainspec;

/** 32-byte word, as the storage keys and values are written. */
const word = (n: bigint | string) => zeroPadValue(toBeHex(BigInt(n)), 32);
/** Solidity's mapping layout, computed here on its own: keccak256(key ‖ slot of the mapping). */
const mappingSlot = (key: string, slot: bigint) => keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [key, slot]));

describe("an AuRa chainspec with a permission policy", () => {
  it("matches the golden chainspec of a fixed policy", () => {
    expectGolden("aura-chainspec-permissions.json", render(POLICY));
  });

  it("names the contract with the two params keys both clients read, active from block 0", () => {
    // OpenEthereum crates/ethjson/src/spec/params.rs: `#[serde(rename_all = "camelCase")]` (line 28) over
    // `transaction_permission_contract: Option<Address>` and `transaction_permission_contract_transition: Option<Uint>`
    // (lines 146-148; a hex string is a Uint, crates/ethjson/src/uint.rs). Nethermind
    // Nethermind.Specs/ChainSpecStyle/Json/ChainSpecParamsJson.cs: `Address TransactionPermissionContract`,
    // `long? TransactionPermissionContractTransition` (camelCase JSON), read by TxAuRaFilterBuilders.CreateTxPermissionFilter.
    const { params } = render(POLICY);
    const without = render().params;
    expect(Object.keys(params).filter((k) => !(k in without))).toEqual(["transactionPermissionContract", "transactionPermissionContractTransition"]);
    expect(params.transactionPermissionContract).toBe(TX_PERMISSION_ADDRESS);
    expect(params.transactionPermissionContractTransition).toBe("0x0");
  });

  it("places the contract as an account both clients' spec parsers take: code and 32-byte storage words", () => {
    // OpenEthereum crates/ethjson/src/spec/account.rs (deny_unknown_fields): builtin, balance, nonce, code, storage
    // (BTreeMap<Uint, Uint>), constructor. Nethermind ChainSpecStyle/Json/AllocationJson.cs: BuiltIn, Balance, Nonce,
    // Code, Constructor, Storage (hex key → UInt256, hex value → bytes, leading zeros dropped at genesis).
    const { accounts } = render(POLICY);
    const account = accounts[TX_PERMISSION_ADDRESS]!;
    expect(Object.keys(account).sort()).toEqual(["balance", "code", "storage"]);
    expect(account.code).toBe(RUNTIME);
    const storage = account.storage as Record<string, string>;
    for (const [slot, value] of Object.entries(storage)) {
      expect(slot).toMatch(/^0x[0-9a-f]{64}$/);
      expect(value).toMatch(/^0x[0-9a-f]{64}$/);
    }
    // The layout of contracts/src/TxPermission.sol: owner in slot 0, no open level (slot 2 absent, zero),
    // accountTypes (slot 3): the deployer 7 (transact and create), the user 3 (transact).
    expect(storage).toEqual({
      [word(0n)]: word(MULTISIG),
      [mappingSlot(DEPLOYER, 3n)]: word(7n),
      [mappingSlot(USER, 3n)]: word(3n),
    });
    expect(render({ ...POLICY, transact: "open", deploy: [DEPLOYER] }).accounts[TX_PERMISSION_ADDRESS]!.storage).toEqual({
      [word(0n)]: word(MULTISIG),
      [word(2n)]: word(3n),
      [mappingSlot(DEPLOYER, 3n)]: word(7n),
    });
  });

  it("adds nothing when transact and deploy are open, whatever read needs", () => {
    expect(render({ read: "keys", transact: "open", deploy: "open" })).toEqual(render());
    expect(render({ read: "open", transact: "open", deploy: "open", owner: MULTISIG })).toEqual(render());
  });

  it("refuses a prefunded account at the reserved address, and a restrictive policy without an owner", () => {
    const funded = clientSpec("aura", "nethermind", { prefunded: [{ address: TX_PERMISSION_ADDRESS, balanceWei: "1" }] });
    expect(() => renderAuraChainspec(funded, validatorsOf(funded), {}, POLICY)).toThrow(/reserved for the transaction permission contract/);
    expect(renderAuraChainspec(funded, validatorsOf(funded)).accounts[TX_PERMISSION_ADDRESS]).toEqual({ balance: "0x1" });
    const { owner: _, ...ownerless } = POLICY;
    expect(() => render(ownerless)).toThrow(/no owner/);
  });

  it("reaches the AuRa chain files through renderChainFile, and no other engine's", () => {
    for (const client of ["nethermind", "openethereum"] as const) {
      const s = clientSpec("aura", client);
      const file = JSON.parse(renderChainFile(s, { validators: validatorsOf(s), permissions: POLICY }).content) as Chainspec;
      expect(file.params.transactionPermissionContract, client).toBe(TX_PERMISSION_ADDRESS);
      expect(file.accounts[TX_PERMISSION_ADDRESS]?.code, client).toBe(RUNTIME);
    }
    for (const [engine, client] of [["clique", "geth"], ["clique", "nethermind"], ["qbft", "besu"]] as const) {
      const s = clientSpec(engine, client);
      const m = { validators: validatorsOf(s) };
      expect(renderChainFile(s, { ...m, permissions: POLICY }), `${engine}/${client}`).toEqual(renderChainFile(s, m));
    }
  });
});
