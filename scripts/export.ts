// `npm run export -- -s <stack> --format compose|k8s --out <dir>`: the stack's fleet as a docker-compose folder or
// Kubernetes manifests, for people who do not run Pulumi. Keys come from the stack's state (run `up` first).
import { exportFleet, ExportFormat } from "../lib/export";
import { FleetKeys, fleetKeyResources, NodeKeys } from "../lib/export/fleetKeys";
import { plainSettings } from "../program/config";
import { parseConsortiumSpec } from "../settings/parse";
import { stackArg } from "../lib/cli/args";
import { DEV_STACK, projectDirFor } from "../lib/cli/env";
import { openStack } from "../lib/cli/workspace";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** A decrypted state value: secrets come as { <sig>, plaintext: JSON }. */
function plain(v: unknown): any {
  if (v && typeof v === "object" && SECRET_SIG in v) return JSON.parse((v as unknown as { plaintext: string }).plaintext);
  return v;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const name = stackArg(argv) ?? DEV_STACK;
  const format = option(argv, "--format") as ExportFormat | undefined;
  const out = option(argv, "--out");
  if (format !== "compose" && format !== "k8s") throw new Error("--format must be compose or k8s");
  if (!out) throw new Error("--out <dir> is required (a new or empty directory)");

  const stack = await openStack({ stack: name, projectDir: projectDirFor(name) });
  // Plain settings only, as the program reads them: the secret ones (deployer key, endpoints, kubeconfig) have no
  // part in an export.
  const raw = plainSettings(Object.fromEntries(Object.entries(await stack.getAllConfig()).map(([key, v]) => [key, v.value])));
  // The export renders for its own target, keeping the fleet's node settings.
  const target = format === "compose" ? "docker" : "kubernetes";
  const fleet = (raw.fleet ?? {}) as Record<string, unknown>;
  if (fleet.target !== target) raw.fleet = { target, ...(fleet.rpcNode !== undefined ? { rpcNode: fleet.rpcNode } : {}), ...(fleet.verbosity !== undefined ? { verbosity: fleet.verbosity } : {}) };
  // The export is the fleet alone: the bridge, PoCo, worker pools and the monitor stay with the stack (their settings
  // may not even hold on the export's target, e.g. a dev stack's local foreign chain, or its local-only monitor).
  // Nor is it applied to the stack's cluster.
  for (const feature of ["bridge", "poco", "workerPools", "monitoring", "kubeContext"]) delete raw[feature];
  const spec = parseConsortiumSpec(raw);

  const keys = new Map<string, Record<string, any>>();
  for (const r of (await stack.exportStack()).deployment.resources ?? []) {
    if (r.type !== "pulumi-nodejs:dynamic/keys:GeneratedKey") continue;
    keys.set(r.urn.split("::").pop()!, Object.fromEntries(Object.entries(r.outputs ?? {}).map(([k, v]) => [k, plain(v)])));
  }
  const need = (key: string) => {
    const k = keys.get(key);
    if (!k) throw new Error(`stack ${name} has no key ${key} in its state: run \`npm run pulumi -- up -s ${name}\` first (the stack generates its keys).`);
    return k;
  };
  const nodeKeys = (node: string, nodeKeyName: string, signer: boolean): NodeKeys => {
    const n = need(nodeKeyName);
    const s = signer ? need(`${node}-signer`) : undefined;
    return { name: node, nodeKey: n.privateKey, nodePublicKey: n.publicKey, ...(s ? { signer: { address: s.address, keystore: s.keystore, password: s.password } } : {}) };
  };
  // Each authority this stack generated, then each member's RPC node (lib/export/fleetKeys.ts names their key resources).
  const fleetKeys: FleetKeys = {
    nodes: fleetKeyResources(spec).map((r) => nodeKeys(r.node, r.nodeKey, r.signer !== undefined)),
    extraAlloc: spec.dev && keys.has("dev-account") ? { [need("dev-account").address]: spec.devAccountBalanceWei! } : {},
  };
  const written = await exportFleet(spec, fleetKeys, format, out);
  console.log(`[export] ${format} export of stack ${name} written to ${out} (${written.length} files; secret files are 0600 and git-ignored).`);
}

main().catch((err: Error) => {
  console.error(`[export] ${err.message}`);
  process.exit(1);
});
