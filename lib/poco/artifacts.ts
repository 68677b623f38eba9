// PoCo's shipped bytecode, read from the @iexec/poco@6.1.0 package (nothing is compiled here). The four Diamond
// contracts (EIP-2535 reference implementation) ship only as deployment records; everything else as Hardhat
// artifacts, whose library references are linked here. None of this bytecode uses PUSH0, so London chains run it.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { getAddress, InterfaceAbi } from "ethers";

const POCO_ROOT = dirname(require.resolve("@iexec/poco/package.json"));

/** Diamond contracts taken from the package's Arbitrum deployment records (same bytecode on every chain). */
const FROM_DEPLOYMENTS = new Set(["DiamondInit", "DiamondCutFacet", "DiamondLoupeFacet", "OwnershipFacet"]);

/** Where each Hardhat artifact lives under artifacts/contracts/. */
const ARTIFACT_DIRS: Record<string, string> = {
  Diamond: "",
  IexecLibOrders_v5: "libs",
  AppRegistry: "registries/apps",
  DatasetRegistry: "registries/datasets",
  WorkerpoolRegistry: "registries/workerpools",
};

interface LinkReference {
  start: number;
  length: number;
}

export interface Artifact {
  contractName: string;
  abi: InterfaceAbi;
  bytecode: string;
  /** source file → library name → byte offsets of its placeholders in `bytecode`. */
  linkReferences: Record<string, Record<string, LinkReference[]>>;
}

const cache = new Map<string, Artifact>();

/** The artifact of one PoCo contract by name (facets default to artifacts/contracts/facets/). */
export function loadArtifact(name: string): Artifact {
  const hit = cache.get(name);
  if (hit) return hit;
  const file = FROM_DEPLOYMENTS.has(name)
    ? join(POCO_ROOT, "deployments", "arbitrum", `${name}.json`)
    : join(POCO_ROOT, "artifacts", "contracts", ARTIFACT_DIRS[name] ?? "facets", `${name}.sol`, `${name}.json`);
  const raw = JSON.parse(readFileSync(file, "utf8"));
  const artifact: Artifact = { contractName: name, abi: raw.abi, bytecode: raw.bytecode, linkReferences: raw.linkReferences ?? {} };
  cache.set(name, artifact);
  return artifact;
}

/** Names of the libraries an artifact must be linked with. */
export function librariesOf(artifact: Artifact): string[] {
  return Object.values(artifact.linkReferences).flatMap((libs) => Object.keys(libs));
}

/** Creation bytecode with every library placeholder replaced by the library's address. */
export function linkBytecode(artifact: Artifact, libraries: Record<string, string>): string {
  let code = artifact.bytecode;
  for (const libs of Object.values(artifact.linkReferences)) {
    for (const [lib, refs] of Object.entries(libs)) {
      const address = libraries[lib];
      if (!address) throw new Error(`${artifact.contractName} needs library ${lib} linked`);
      const hex = getAddress(address).slice(2).toLowerCase();
      // Offsets count bytes after the 0x prefix; each placeholder is 20 bytes.
      for (const { start, length } of refs) code = code.slice(0, 2 + start * 2) + hex + code.slice(2 + (start + length) * 2);
    }
  }
  if (code.includes("__$")) throw new Error(`${artifact.contractName} has unlinked library references`);
  return code;
}
