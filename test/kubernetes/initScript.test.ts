// The rendered init container script run by real consumers: /bin/sh and geth 1.13.15 (built by `npm run tools`).
// The ConfigMap and Secret volumes are laid out from the rendered objects as the kubelet does (items: key → path);
// only the mount points move into a temporary directory. No cluster exists here.
import { execa } from "execa";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderKubernetesWorkloads } from "../../render/kubernetes/fleet";
import { FILES_MOUNT, initMarker, KEYS_MOUNT } from "../../render/kubernetes/initScript";
import { K8sObject } from "../../render/kubernetes/meta";
import { ensureTools } from "../../lib/toolchain/resolve";
import { fixtureFleet, kubeSpec } from "./fixture";

type Obj = K8sObject & Record<string, any>;
let geth: string;
const root = mkdtempSync(join(tmpdir(), "k8s-init-"));

beforeAll(async () => {
  geth = (await ensureTools({ build: false, log: () => {} })).geth;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The init script of node `name` with its volumes laid out under `dir`, ready to run. */
function prepare(dir: string, name: string, editChain?: (genesis: string) => string) {
  const f = fixtureFleet(kubeSpec(), editChain);
  const objects = renderKubernetesWorkloads(f.ctx, f.nodes) as Obj[];
  const find = (kind: string, n: string) => objects.find((o) => o.kind === kind && o.metadata.name === n)!;
  const pod = find("StatefulSet", name).spec.template.spec;
  const mount = (volume: string, data: Record<string, string>, decode: (v: string) => string) => {
    const at = join(dir, volume);
    for (const { key, path } of pod.volumes.find((v: any) => v.name === volume)[volume === "files" ? "configMap" : "secret"].items) {
      mkdirSync(dirname(join(at, path)), { recursive: true });
      writeFileSync(join(at, path), decode(data[key]), { mode: 0o440 });
    }
    return at;
  };
  const files = mount("files", find("ConfigMap", `${name}-files`).data, (v) => v);
  const keys = mount("keys", find("Secret", `${name}-keys`).data, (v) => Buffer.from(v, "base64").toString());
  const nodeDir = join(dir, "node");
  mkdirSync(nodeDir, { recursive: true });
  const script = (pod.initContainers[0].command[2] as string).replaceAll(FILES_MOUNT, files).replaceAll(KEYS_MOUNT, keys);
  return { nodeDir, script, marker: initMarker(f.nodes.find((n) => n.workload.name === name)!.workload) };
}

const run = (script: string, cwd: string, binDir: string) => execa("sh", ["-c", script], { cwd, env: { PATH: `${binDir}:/usr/bin:/bin` }, reject: false });
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("init container script", () => {
  it("copies files with their modes, runs geth init once, and refuses a changed genesis", async () => {
    const dir = join(root, "alpha");
    const first = prepare(dir, "alpha");
    const done = await run(first.script, first.nodeDir, dirname(geth));
    expect(done.exitCode, done.stderr).toBe(0);
    const at = (p: string) => join(first.nodeDir, p);
    expect(mode(at("nodekey"))).toBe("600");
    expect(mode(at("password"))).toBe("600");
    // The signer keystore comes from the Secret like the password: 0600, in 0700 directories.
    const [keystore] = readdirSync(at("data/keystore"));
    expect(keystore).toMatch(/^UTC--/);
    expect(mode(at(`data/keystore/${keystore}`))).toBe("600");
    expect([mode(at("data")), mode(at("data/keystore"))]).toEqual(["700", "700"]);
    expect(mode(at("genesis.json"))).toBe("644");
    expect(mode(at("config.toml"))).toBe("644");
    expect(existsSync(at("data/geth/chaindata"))).toBe(true);
    expect(existsSync(at(first.marker))).toBe(true);

    // A restart re-copies the files but skips init: a failing client on PATH is never called.
    const stub = join(root, "stub");
    mkdirSync(stub, { recursive: true });
    writeFileSync(join(stub, "geth"), "#!/bin/sh\necho called >&2\nexit 7\n");
    chmodSync(join(stub, "geth"), 0o755);
    rmSync(at("config.toml"));
    const again = await run(first.script, first.nodeDir, stub);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(existsSync(at("config.toml"))).toBe(true);

    // A new genesis runs init again, and real geth refuses it on the existing database: the pod stays in Init.
    const changed = prepare(join(root, "alpha-new-chain"), "alpha", (g) => g.replace(/"gasLimit": "0x[0-9a-f]+"/, '"gasLimit": "0x1312d01"'));
    expect(changed.marker).not.toBe(first.marker);
    const refused = await run(changed.script, first.nodeDir, dirname(geth));
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/incompatible genesis/);
    expect(existsSync(at(changed.marker))).toBe(false);
  });

  it("prepares a member's RPC node without a password or keystore file", async () => {
    const { nodeDir, script } = prepare(join(root, "rpc-org-1"), "rpc-org-1");
    const done = await run(script, nodeDir, dirname(geth));
    expect(done.exitCode, done.stderr).toBe(0);
    expect(mode(join(nodeDir, "nodekey"))).toBe("600");
    expect(existsSync(join(nodeDir, "password"))).toBe(false);
    expect(existsSync(join(nodeDir, "data", "keystore")) && readdirSync(join(nodeDir, "data", "keystore")).length > 0).toBe(false);
  });
});
