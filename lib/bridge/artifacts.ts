// The compiled bridge contracts, committed under contracts/build/ (`npm run contracts` rebuilds them), so deploying
// needs no compiler.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonFragment } from "ethers";
import { REPO_ROOT } from "../toolchain/repoRoot";

/** The contracts the bridge deploys (contracts/src also holds their bases and libraries). */
export const BRIDGE_CONTRACTS = ["ValidatorSet", "ForeignVault", "HomeGateway", "BridgedToken"] as const;
export type BridgeContractName = (typeof BRIDGE_CONTRACTS)[number];

export const BRIDGE_BUILD_DIR = join(REPO_ROOT, "contracts", "build");

export interface BridgeArtifact {
  abi: JsonFragment[];
  bytecode: string;
  deployedBytecode: string;
}

const cache = new Map<BridgeContractName, BridgeArtifact>();

export function loadArtifact(name: BridgeContractName): BridgeArtifact {
  const cached = cache.get(name);
  if (cached) return cached;
  const path = join(BRIDGE_BUILD_DIR, `${name}.json`);
  if (!existsSync(path)) throw new Error(`missing bridge build ${path}: run npm run contracts`);
  const { abi, bytecode, deployedBytecode } = JSON.parse(readFileSync(path, "utf8")) as BridgeArtifact;
  const artifact = { abi, bytecode, deployedBytecode };
  cache.set(name, artifact);
  return artifact;
}
