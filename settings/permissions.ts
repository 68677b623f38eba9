// A consortium's permission policy, at the three levels the tool we replace promised: who may read the chain, who may
// call contracts (send transactions), who may create contracts. Checked here field by field, before anything runs;
// enforced per engine (Clique/geth: the policy gateway in front of the RPC nodes, gateway/).
import { isRecord, parseAddress, Report, show } from "./fields";

export interface PermissionsSpec {
  /** Who may read through the stack's RPC endpoints: anyone, or the holders of an API key (the keys are secrets). */
  read: "open" | "keys";
  /** Who may send transactions (call contracts, move value): anyone, or these addresses. */
  transact: "open" | string[];
  /** Who may create contracts: anyone, or these addresses (each of which may also transact). */
  deploy: "open" | string[];
}

export const OPEN_POLICY: PermissionsSpec = { read: "open", transact: "open", deploy: "open" };
const KEYS = ["read", "transact", "deploy"];

/** "open", or a list of addresses (checksummed, no duplicates). */
function allowList(raw: unknown, field: string, problem: Report): "open" | string[] | undefined {
  if (raw === undefined || raw === "open") return "open";
  if (!Array.isArray(raw)) {
    problem(field, `${show(raw)} is neither "open" nor a list of addresses`, `write "open", or a list such as ["0x…"]`);
    return undefined;
  }
  const addresses = raw.map((a, i) => parseAddress(a, `${field}[${i}]`, problem));
  if (addresses.some((a) => a === undefined)) return undefined;
  const seen = new Set<string>();
  for (const [i, a] of (addresses as string[]).entries()) {
    if (seen.has(a)) problem(`${field}[${i}]`, `${a} is listed twice`, "list each address once");
    seen.add(a);
  }
  return addresses as string[];
}

/** The policy, or undefined after reporting every problem. Absent: open at every level. */
export function parsePermissions(raw: unknown, problem: Report): PermissionsSpec | undefined {
  if (raw === undefined) return OPEN_POLICY;
  if (!isRecord(raw)) {
    problem("permissions", `${show(raw)} is not a map`, 'write e.g. { read: "keys", transact: ["0x…"], deploy: ["0x…"] }');
    return undefined;
  }
  let ok = true;
  const report: Report = (...args) => {
    ok = false;
    problem(...args);
  };
  for (const key of Object.keys(raw)) if (!KEYS.includes(key)) report(`permissions.${key}`, "is not a known setting", `remove it; known: ${KEYS.join(", ")}`);
  const read = raw.read === undefined ? "open" : raw.read;
  if (read !== "open" && read !== "keys") report("permissions.read", `${show(read)} is not a read policy`, 'write "open" (anyone who reaches an RPC endpoint) or "keys" (holders of an API key)');
  const transact = allowList(raw.transact, "permissions.transact", report);
  const deploy = allowList(raw.deploy, "permissions.deploy", report);
  // Creating a contract is a transaction: a deployer the transact list refuses could never deploy.
  if (deploy === "open" && Array.isArray(transact)) {
    report("permissions.deploy", 'is "open" while permissions.transact is a list', "list the deployers, or open transact too");
  } else if (Array.isArray(deploy) && Array.isArray(transact)) {
    for (const [i, a] of deploy.entries()) {
      if (!transact.includes(a)) report(`permissions.deploy[${i}]`, `${a} may deploy but not transact`, "add it to permissions.transact (a creation is a transaction)");
    }
  }
  return ok ? { read: read as PermissionsSpec["read"], transact: transact!, deploy: deploy! } : undefined;
}
