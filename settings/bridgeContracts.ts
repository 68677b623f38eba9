// `bridge.contracts`: the bridge contracts another stack deployed (the consortium stack's `bridge` output, or the
// consortium manifest's), which a member's stack runs its agents against instead of deploying its own.
import { int, isRecord, parseAddress, Report, show } from "./fields";

/** Bridge contracts deployed already (by the consortium stack): a member's stack runs its agents against them. */
export interface BridgeContractsSpec {
  home: { gateway: string; validatorSet: string; token: string; startBlock: number };
  foreign: { vault: string; validatorSet: string; startBlock: number };
}

const CONTRACT_FIELDS = { home: ["gateway", "validatorSet", "token"], foreign: ["vault", "validatorSet"] } as const;

/**
 * `bridge.contracts`: the consortium stack's `bridge` output (or the manifest's), side by side. Chain ids and the
 * foreign token, when present, must be this stack's: agents built for another chain would sign for the wrong one.
 */
export function parseContracts(raw: unknown, expected: { home?: number; foreign?: number; token?: string }, problem: Report): BridgeContractsSpec | undefined {
  if (raw === undefined) return undefined;
  const fix = "copy the home and foreign parts of the consortium stack's `bridge` output (pulumi stack output bridge)";
  if (!isRecord(raw)) {
    problem("bridge.contracts", `${show(raw)} is not an object`, fix);
    return undefined;
  }
  const sides: Record<string, Record<string, string | number>> = {};
  for (const side of ["home", "foreign"] as const) {
    const at = `bridge.contracts.${side}`;
    const given = raw[side];
    if (!isRecord(given)) {
      problem(at, given === undefined ? "is missing" : `${show(given)} is not an object`, fix);
      continue;
    }
    const out: Record<string, string | number> = {};
    for (const field of CONTRACT_FIELDS[side]) {
      const address = parseAddress(given[field], `${at}.${field}`, problem);
      if (address) out[field] = address;
    }
    const startBlock = int(given.startBlock, `${at}.startBlock`, 0, 2 ** 53 - 1, problem, "give the block the contracts were deployed in (the output's startBlock)");
    if (startBlock !== undefined) out.startBlock = startBlock;
    const chainId = expected[side];
    if (given.chainId !== undefined && chainId !== undefined && Number(given.chainId) !== chainId) {
      problem(`${at}.chainId`, `${show(given.chainId)} is not this stack's ${side} chain (${chainId})`, "use the contracts deployed for this consortium and this foreign chain");
    }
    if (side === "foreign" && given.token !== undefined && expected.token && String(given.token).toLowerCase() !== expected.token.toLowerCase()) {
      problem(`${at}.token`, `${show(given.token)} is not bridge.foreign.token (${expected.token})`, "bridge the token the vault holds");
    }
    const known = [...CONTRACT_FIELDS[side], "startBlock", "chainId", ...(side === "foreign" ? ["token"] : [])];
    for (const key of Object.keys(given)) if (!known.includes(key)) problem(`${at}.${key}`, "is not a known setting", `remove it; known: ${known.join(", ")}`);
    sides[side] = out;
  }
  for (const key of Object.keys(raw)) if (key !== "home" && key !== "foreign") problem(`bridge.contracts.${key}`, "is not a known setting", "remove it; known: home, foreign");
  const complete = (side: "home" | "foreign") => sides[side] && Object.keys(sides[side]).length === CONTRACT_FIELDS[side].length + 1;
  return complete("home") && complete("foreign") ? (sides as unknown as BridgeContractsSpec) : undefined;
}

