// `npm run export --format k8s` (lib/export): manifests and a separate 0600 secrets file, rendered from keys.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { exportFleet } from "../../lib/export";
import { FleetKeys } from "../../lib/export/fleetKeys";
import { generateKey } from "../../lib/keygen";
import { parseConsortiumSpec } from "../../spec/parse";
import { schemaErrors } from "./schema";

async function keysFor(names: string[]): Promise<FleetKeys> {
  const nodes = [];
  for (const name of [...names, "rpc"]) {
    const node = await generateKey({ kind: "node" });
    const signer = name === "rpc" ? undefined : await generateKey({ kind: "signer", scryptN: 1024 });
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
    const keys = await keysFor(["alpha", "beta", "gamma"]);
    out = await mkdtemp(join(tmpdir(), "k8s-export-"));
    const written = await exportFleet(spec, keys, "k8s", out);
    expect(written.sort()).toEqual(["manifests.yaml", "secrets/.gitignore", "secrets/secrets.yaml"]);

    const manifests = await readFile(join(out, "manifests.yaml"), "utf8");
    const objects = parseAllDocuments(manifests).map((d) => d.toJS());
    expect(objects.filter((o) => o.kind === "StatefulSet")).toHaveLength(4);
    expect(objects.some((o) => o.kind === "Secret")).toBe(false);
    for (const o of objects) expect(schemaErrors(o), `${o.kind} ${o.metadata?.name}`).toEqual([]);
    for (const k of keys.nodes) {
      expect(manifests).not.toContain(k.nodeKey.replace(/^0x/, ""));
      if (k.signer) expect(manifests).not.toContain(k.signer.password);
    }

    const secretsPath = join(out, "secrets", "secrets.yaml");
    expect((await stat(secretsPath)).mode & 0o777).toBe(0o600);
    const secrets = parseAllDocuments(await readFile(secretsPath, "utf8")).map((d) => d.toJS());
    expect(secrets.map((s) => s.kind)).toEqual(["Secret", "Secret", "Secret", "Secret"]);
    const alpha = secrets.find((s) => s.metadata.name.startsWith("alpha"))!;
    const decoded = Object.values(alpha.data as Record<string, string>).map((v) => Buffer.from(v, "base64").toString("utf8"));
    expect(decoded).toContain(keys.nodes[0].signer!.password);
    expect(await readFile(join(out, "secrets", ".gitignore"), "utf8")).toContain("*");
  });
});
