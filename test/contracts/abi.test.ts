// The agent and the deployment talk to the contracts through lib/bridge/abi.ts: every fragment there must be in the
// compiled ABI. The committed build must be exactly what the sources compile to, for London chains.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Interface } from "ethers";
import { describe, expect, it } from "vitest";
import { BRIDGED_TOKEN_ABI, FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI, VALIDATOR_SET_ABI } from "../../lib/bridge/abi";
import { BRIDGE_BUILD_DIR, BRIDGE_CONTRACTS, BridgeContractName, loadArtifact } from "../../lib/bridge/artifacts";
import { compileBridgeContracts } from "../../scripts/contracts/compile";

const INTERFACES: Record<BridgeContractName, readonly string[]> = {
  ValidatorSet: VALIDATOR_SET_ABI,
  ForeignVault: FOREIGN_VAULT_ABI,
  HomeGateway: HOME_GATEWAY_ABI,
  BridgedToken: BRIDGED_TOKEN_ABI,
};

/** Opcodes after London: PUSH0 (Shanghai), TLOAD/TSTORE/MCOPY (Cancun). */
const POST_LONDON = new Set([0x5f, 0x5c, 0x5d, 0x5e]);

function postLondonOpcodes(bytecode: string): number[] {
  const code = Buffer.from(bytecode.slice(2), "hex");
  const found: number[] = [];
  for (let i = 0; i < code.length; i++) {
    const op = code[i];
    if (POST_LONDON.has(op)) found.push(op);
    if (op >= 0x60 && op <= 0x7f) i += op - 0x5f; // skip PUSH1..PUSH32 data
  }
  return found;
}

describe("compiled bridge contracts", () => {
  it.each(BRIDGE_CONTRACTS)("%s implements every fragment of lib/bridge/abi.ts", (name) => {
    // Minimal format: types, indexed, mutability and outputs count; parameter names do not.
    const compiled = new Set(new Interface(loadArtifact(name).abi).format(true));
    const missing = new Interface(INTERFACES[name]).format(true).filter((f) => !compiled.has(f));
    expect(missing).toEqual([]);
  });

  it.each(BRIDGE_CONTRACTS)("%s runs on London (no PUSH0, no Cancun opcodes)", (name) => {
    const artifact = loadArtifact(name);
    expect(postLondonOpcodes(artifact.bytecode)).toEqual([]);
    expect(postLondonOpcodes(artifact.deployedBytecode)).toEqual([]);
    expect(JSON.parse(readFileSync(join(BRIDGE_BUILD_DIR, `${name}.json`), "utf8")).compiler.evmVersion).toBe("london");
  });

  // contracts/build is an earlier compilation (`npm run contracts`): a fresh one equal to it, byte for byte, is the
  // reproducibility (a second compilation in the same run would prove nothing more, for 10 s of CPU).
  it("the committed build is reproducible: a fresh compilation equals contracts/build", () => {
    const fresh = compileBridgeContracts();
    expect([...fresh.keys()].sort()).toEqual(readdirSync(BRIDGE_BUILD_DIR).filter((f) => f.endsWith(".json")).sort());
    for (const [file, text] of fresh) {
      expect(readFileSync(join(BRIDGE_BUILD_DIR, file), "utf8"), `${file} is stale: run npm run contracts`).toBe(text);
    }
  }, 120_000);
});
