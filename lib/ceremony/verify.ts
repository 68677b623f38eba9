// A member's check of the coordinator's output: re-derive the assembly from the same inputs, compare byte for
// byte, and find its own keys in it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { computeAddress } from "ethers";
import { sealsWithNodeKey } from "../../settings/clients";
import { Assembly } from "./assemble";
import { Ceremony } from "./params";

export interface OwnIdentity {
  address: string;
  nodePublicKey: string;
  /** Its bridge validator's address, when its directory holds that key. */
  bridgeValidator?: string;
}

/** Problems found comparing an assembled directory with the re-derived assembly (empty: identical). */
export function compareAssembly(expected: Assembly, assembledDir: string, ceremony: Ceremony, own?: OwnIdentity): string[] {
  const problems: string[] = [];
  for (const [file, content] of Object.entries(expected.files)) {
    const path = join(assembledDir, file);
    if (!existsSync(path)) {
      problems.push(`${path} is missing`);
      continue;
    }
    if (readFileSync(path, "utf8") !== content) problems.push(`${path} differs from the assembly re-derived from the ceremony and contributions`);
  }
  if (own) {
    const engine = String(ceremony.parameters.settings.engine ?? "clique");
    const mine = expected.contributions.find(
      (c) => c.address.toLowerCase() === own.address.toLowerCase() && c.nodePublicKey === own.nodePublicKey,
    );
    if (!mine) {
      problems.push(`your keys (signer ${own.address}) are not in the contributions the assembly was made from`);
    } else {
      const sealer = sealsWithNodeKey(engine as "qbft") ? computeAddress("0x04" + own.nodePublicKey) : mine.address;
      if (!expected.validators.includes(sealer)) problems.push(`your sealer ${sealer} is not a validator in the genesis`);
      if (!expected.files["static-nodes.json"].includes(own.nodePublicKey)) problems.push("your node is not in static-nodes.json");
      if (own.bridgeValidator && mine.bridgeValidator?.toLowerCase() !== own.bridgeValidator.toLowerCase()) {
        problems.push(`your bridge validator ${own.bridgeValidator} is not the one your contribution names (${mine.bridgeValidator ?? "none"})`);
      }
    }
  }
  return problems;
}
