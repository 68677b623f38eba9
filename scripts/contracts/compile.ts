// Compiles the bridge contracts and the AuRa transaction permission contract with solc from npm into the artifacts
// committed under contracts/build/.
// Deterministic: fixed settings, no metadata hash in the bytecode, fixed key order, so a rebuild is byte-identical.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BRIDGE_CONTRACTS } from "../../lib/bridge/artifacts";
import { REPO_ROOT } from "../../lib/toolchain/resolve";

const SOURCES_DIR = join(REPO_ROOT, "contracts", "src");
/** Contracts placed in an AuRa genesis rather than deployed (render/permissions/txPermission.ts reads the build). */
const GENESIS_CONTRACTS = ["TxPermission"] as const;

// London: the chains run geth 1.13.15 Clique (no PUSH0, no MCOPY, no transient storage).
const SETTINGS = {
  evmVersion: "london",
  optimizer: { enabled: true, runs: 200 },
  metadata: { bytecodeHash: "none" },
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object", "metadata"] } },
} as const;

interface SolcOutput {
  errors?: { severity: "error" | "warning" | "info"; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: unknown[]; metadata: string; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
}
interface Solc {
  version(): string;
  compile(input: string, callbacks: { import: (path: string) => { contents: string } | { error: string } }): string;
}
// solc ships no type declarations.
const solc: Solc = require("solc");

/** Build file name → its exact contents (pretty JSON + newline). */
export type BuildFiles = Map<string, string>;

export function compileBridgeContracts(log: (line: string) => void = () => {}): BuildFiles {
  const sources: Record<string, { content: string }> = {};
  for (const file of readdirSync(SOURCES_DIR).filter((f) => f.endsWith(".sol")).sort()) {
    sources[`contracts/src/${file}`] = { content: readFileSync(join(SOURCES_DIR, file), "utf8") };
  }
  log(`solc ${solc.version()}: compiling ${Object.keys(sources).length} sources for ${SETTINGS.evmVersion}`);
  const input = { language: "Solidity", sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: resolveImport })) as SolcOutput;
  const problems = output.errors ?? [];
  const errors = problems.filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  for (const w of problems.filter((e) => e.severity === "warning")) log(w.formattedMessage);

  const files: BuildFiles = new Map();
  for (const name of [...BRIDGE_CONTRACTS, ...GENESIS_CONTRACTS]) {
    const compiled = output.contracts?.[`contracts/src/${name}.sol`]?.[name];
    if (!compiled) throw new Error(`solc produced no ${name}`);
    const artifact = {
      contractName: name,
      abi: compiled.abi,
      bytecode: `0x${compiled.evm.bytecode.object}`,
      deployedBytecode: `0x${compiled.evm.deployedBytecode.object}`,
      compiler: { solc: solc.version(), evmVersion: SETTINGS.evmVersion, optimizer: SETTINGS.optimizer },
      sourcesSha256: sourcesSha256(Object.keys(JSON.parse(compiled.metadata).sources), sources),
    };
    files.set(`${name}.json`, `${JSON.stringify(artifact, null, 2)}\n`);
  }
  return files;
}

// Only our sources and OpenZeppelin from node_modules are importable: the build sees nothing else.
function resolveImport(path: string): { contents: string } | { error: string } {
  if (!path.startsWith("@openzeppelin/contracts/")) return { error: `import outside @openzeppelin/contracts: ${path}` };
  try {
    return { contents: readFileSync(join(REPO_ROOT, "node_modules", path), "utf8") };
  } catch (e) {
    return { error: String(e) };
  }
}

/** Hash of every source file the contract was built from (path and content), so a stale build is visible. */
function sourcesSha256(paths: string[], ours: Record<string, { content: string }>): string {
  const hash = createHash("sha256");
  for (const path of [...paths].sort()) {
    const content = ours[path]?.content ?? readFileSync(join(REPO_ROOT, "node_modules", path), "utf8");
    hash.update(`${path}\n${createHash("sha256").update(content).digest("hex")}\n`);
  }
  return hash.digest("hex");
}
