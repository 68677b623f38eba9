// The PoCo stack settings (`consortium:poco`), validated with the rest of the spec.
import { int, isRecord, parseAddress, Report, show } from "./fields";

export interface PocoCategorySpec {
  name: string;
  description: string;
  /** Reference work-clock time of a task of this category, seconds. */
  workClockTimeRef: number;
}

export interface PocoSpec {
  /** Owner of the Diamond and the registries; defaults to the deployer in dev stacks. */
  admin?: string;
  /** The ERC-20 PoCo stakes; defaults to the bridge's token on home (the bridged RLC). */
  token?: string;
  /** Task categories, in order (append-only on chain); iExec's five by default. */
  categories?: PocoCategorySpec[];
  /** The chain's name in the iexec SDK's chain.json (`--chain`). */
  chainName: string;
  /**
   * PoCo deployed by another stack (the consortium stack: the manifest carries its addresses): this stack deploys
   * none, and registers its worker pools there.
   */
  deployed?: PocoDeployedSpec;
}

/** A PoCo deployment's addresses, as the consortium stack's `poco` output gives them. */
export interface PocoDeployedSpec {
  hub: string;
  appRegistry: string;
  datasetRegistry: string;
  workerpoolRegistry: string;
  token: string;
}

const POCO_KEYS = ["admin", "token", "categories", "chainName", "deployed"] as const;
const DEPLOYED_KEYS = ["hub", "appRegistry", "datasetRegistry", "workerpoolRegistry", "token"] as const;

export function parsePoco(raw: unknown, ctx: { dev: boolean; hasBridge: boolean; consortium: string }, problem: Report): PocoSpec | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) {
    problem("poco", `${show(raw)} is not an object`, "write the PoCo settings as a map ({} for the defaults)");
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!(POCO_KEYS as readonly string[]).includes(key)) problem(`poco.${key}`, "is not a known PoCo setting", `remove it; known: ${POCO_KEYS.join(", ")}`);
  }
  const deployed = raw.deployed === undefined ? undefined : parseDeployed(raw.deployed, problem);
  const admin = raw.admin === undefined ? undefined : parseAddress(raw.admin, "poco.admin", problem);
  if (!ctx.dev && raw.admin === undefined && raw.deployed === undefined) problem("poco.admin", "is missing", "name the address (ideally a multisig) that will own PoCo; the deployer key must not stay its owner");
  const token = raw.token === undefined ? undefined : parseAddress(raw.token, "poco.token", problem);
  if (raw.token === undefined && !ctx.hasBridge && raw.deployed === undefined) {
    problem("poco.token", "is missing and there is no bridge to take the token from", "configure consortium:bridge (PoCo then uses the bridged RLC), or give the address of an ERC-20 on the home chain");
  }
  let chainName = ctx.consortium;
  if (raw.chainName !== undefined) {
    if (typeof raw.chainName !== "string" || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(raw.chainName)) {
      problem("poco.chainName", `${show(raw.chainName)} is not a chain name`, 'use lower-case letters, digits and "-" (e.g. "acme-net")');
    } else {
      chainName = raw.chainName;
    }
  }
  const categories = raw.categories === undefined ? undefined : parseCategories(raw.categories, problem);
  return {
    ...(admin ? { admin } : {}),
    ...(token ? { token } : {}),
    ...(categories ? { categories } : {}),
    chainName,
    ...(deployed ? { deployed } : {}),
  };
}

/** `poco.deployed`: the consortium stack's `poco` output (its chainId, if present, is checked by the program's chain). */
function parseDeployed(raw: unknown, problem: Report): PocoDeployedSpec | undefined {
  const fix = "copy the consortium stack's `poco` output (hub, appRegistry, datasetRegistry, workerpoolRegistry, token)";
  if (!isRecord(raw)) {
    problem("poco.deployed", `${show(raw)} is not an object`, fix);
    return undefined;
  }
  const out: Partial<Record<(typeof DEPLOYED_KEYS)[number], string>> = {};
  for (const key of DEPLOYED_KEYS) out[key] = parseAddress(raw[key], `poco.deployed.${key}`, problem);
  for (const key of Object.keys(raw)) if (!(DEPLOYED_KEYS as readonly string[]).includes(key) && key !== "chainId") problem(`poco.deployed.${key}`, "is not a known setting", fix);
  return DEPLOYED_KEYS.every((k) => out[k]) ? (out as PocoDeployedSpec) : undefined;
}

function parseCategories(raw: unknown, problem: Report): PocoCategorySpec[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) {
    problem("poco.categories", `${show(raw)} is not a non-empty list`, 'list { name, description, workClockTimeRef }, e.g. [{ name: "XS", description: "Extra small", workClockTimeRef: 300 }]');
    return undefined;
  }
  const out: PocoCategorySpec[] = [];
  raw.forEach((c: unknown, i) => {
    const at = `poco.categories[${i}]`;
    if (!isRecord(c) || typeof c.name !== "string" || c.name.trim() === "") {
      problem(at, `${show(c)} has no name`, "give each category a name");
      return;
    }
    const ref = int(c.workClockTimeRef, `${at}.workClockTimeRef`, 1, 2 ** 31, problem, "give the reference task duration in seconds");
    if (ref !== undefined) out.push({ name: c.name, description: typeof c.description === "string" ? c.description : "", workClockTimeRef: ref });
  });
  return out.length === raw.length ? out : undefined;
}
