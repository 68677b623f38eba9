// `npm run export --format k8s` (lib/export): manifests and a separate 0600 secrets file, rendered from keys.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { exportFleet } from "../../lib/export";
import { FleetKeys, fleetKeyResources } from "../../lib/export/fleetKeys";
import { generateKey } from "../../lib/keygen";
import { parseConsortiumSpec } from "../../settings/parse";
import { schemaErrors } from "./schema";

/** Keys of the authorities `names`, then of the RPC nodes `rpcNodes` (no signer). */
async function keysFor(names: string[], rpcNodes: string[]): Promise<FleetKeys> {
  const nodes = [];
  for (const name of [...names, ...rpcNodes]) {
    const node = await generateKey({ kind: "node" });
    const signer = rpcNodes.includes(name) ? undefined : await generateKey({ kind: "signer", scryptN: 1024 });
    nodes.push({
      name,
      nodeKey: node.privateKey!,
      nodePublicKey: node.publicKey!,
      ...(signer ? { signer: { address: signer.address!, keystore: signer.keystore!, password: signer.password! } } : {}),
    });
  }
  return { nodes, extraAlloc: {} };
}

describe("Kubernetes export", () => {
  let out: string | undefined;
  afterEach(async () => out && rm(out, { recursive: true, force: true }));

  it("writes schema-valid manifests without key material, and the Secrets apart, 0600 and git-ignored", async () => {
    const spec = parseConsortiumSpec({
      name: "acme",
      chainId: 31420,
      dev: true,
      scryptN: 1024,
      authorities: ["alpha", "beta", "gamma"].map((name, i) => ({ name, member: `org-${i}` })),
      fleet: { target: "kubernetes", namespace: "acme-chain" },
    });
    const keys = await keysFor(["alpha", "beta", "gamma"], fleetKeyResources(spec).filter((r) => !r.signer).map((r) => r.node));
    expect(keys.nodes.map((k) => k.name)).toEqual(["alpha", "beta", "gamma", "rpc-org-0", "rpc-org-1", "rpc-org-2"]);
    out = await mkdtemp(join(tmpdir(), "k8s-export-"));
    const written = await exportFleet(spec, keys, "k8s", out);
    expect(written.sort()).toEqual(["manifests.yaml", "secrets/.gitignore", "secrets/secrets.yaml"]);

    const manifests = await readFile(join(out, "manifests.yaml"), "utf8");
    const objects = parseAllDocuments(manifests).map((d) => d.toJS());
    expect(objects.filter((o) => o.kind === "StatefulSet")).toHaveLength(6);
    // Keystores too are key files: in the Secrets only, never in a ConfigMap.
    for (const k of keys.nodes) if (k.signer) expect(manifests).not.toContain(JSON.parse(k.signer.keystore).crypto.ciphertext);
    // No authority declares or publishes an RPC port; only the RPC nodes' Services have one.
    const rpcPorts = (o: any) => (o.kind === "Service" ? o.spec.ports : o.kind === "StatefulSet" ? o.spec.template.spec.containers[0].ports : []).filter((p: any) => p.name === "rpc");
    for (const o of objects) expect(rpcPorts(o).length > 0, `${o.kind} ${o.metadata?.name}`).toBe(/^rpc-org-\d$/.test(o.metadata?.name ?? "") && ["Service", "StatefulSet"].includes(o.kind));
    expect(objects.some((o) => o.kind === "Secret")).toBe(false);
    for (const o of objects) expect(schemaErrors(o), `${o.kind} ${o.metadata?.name}`).toEqual([]);
    for (const k of keys.nodes) {
      expect(manifests).not.toContain(k.nodeKey.replace(/^0x/, ""));
      if (k.signer) expect(manifests).not.toContain(k.signer.password);
    }

    const secretsPath = join(out, "secrets", "secrets.yaml");
    expect((await stat(secretsPath)).mode & 0o777).toBe(0o600);
    const secrets = parseAllDocuments(await readFile(secretsPath, "utf8")).map((d) => d.toJS());
    expect(secrets.map((s) => s.kind)).toEqual(Array(6).fill("Secret"));
    const alpha = secrets.find((s) => s.metadata.name.startsWith("alpha"))!;
    const decoded = Object.values(alpha.data as Record<string, string>).map((v) => Buffer.from(v, "base64").toString("utf8"));
    expect(decoded).toContain(keys.nodes[0].signer!.password);
    expect(decoded).toContain(keys.nodes[0].signer!.keystore);
    expect(await readFile(join(out, "secrets", ".gitignore"), "utf8")).toContain("*");
  });
});
