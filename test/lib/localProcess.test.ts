// lib/localProcess with a tiny JSON-RPC server as the node (the real geth path runs in test/integration).
import { existsSync, statSync } from "node:fs";
import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOurProcess, LocalProcessInputs, LocalProcessState, observeNode, removeNode, restartNode, startNode, stopNode } from "../../lib/localProcess";
import { jsonRpcCall } from "../../lib/ipc";
import { reserveTestPortBlock, TestPortBlock } from "../../testkit/portBlock";

// Answers every JSON-RPC call with a chain id, like a node's eth_chainId; writes a line per start to started.txt.
const SERVER = `
const http = require("node:http");
require("node:fs").appendFileSync("started.txt", "x\\n");
http.createServer((req, res) => { res.setHeader("content-type", "application/json"); res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: "0x1" })); })
  .listen(Number(process.argv[2]), "127.0.0.1", () => console.log("listening"));
`;

describe("local node processes", () => {
  let dir: string;
  let block: TestPortBlock;
  let port: number;
  let state: LocalProcessState | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "node-"));
    block = await reserveTestPortBlock("local-process-test", dir);
    port = block.base;
  });
  afterEach(async () => {
    if (state) await removeNode(state);
    state = undefined;
    await block.release();
    await rm(dir, { recursive: true, force: true });
  });

  const inputs = (over: Partial<LocalProcessInputs> = {}): LocalProcessInputs => ({
    name: "n1",
    dir,
    command: process.execPath,
    args: ["server.js", String(port)],
    env: {},
    files: { "server.js": SERVER, "conf/app.toml": "a = 1\n" },
    secretFiles: { password: "s3cret-password-value" },
    init: [{ command: process.execPath, args: ["-e", "require('fs').appendFileSync('init.txt', 'x')"] }],
    rpcUrl: `http://127.0.0.1:${port}`,
    ports: [port],
    resetKey: "genesis-1",
    ...over,
  });

  it("starts, writes secret files 0600, runs init once, and keeps secrets out of its state", async () => {
    state = await startNode(inputs());
    expect(state.running).toBe(true);
    expect(isOurProcess(state.pid, dir)).toBe(true);
    expect(statSync(join(dir, "password")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "conf/app.toml")).mode & 0o777).toBe(0o644);
    expect(JSON.stringify(state)).not.toContain("s3cret-password-value");
    await stopNode(state.pid, dir);
    expect(isOurProcess(state.pid, dir)).toBe(false);
    state = await startNode(inputs());
    expect(await readFile(join(dir, "init.txt"), "utf8")).toBe("x"); // not re-run for the same resetKey
    expect(await readFile(join(dir, "started.txt"), "utf8")).toBe("x\nx\n");
  });

  it("restarts the workloads of one work dir in turn: never two of them down at once", async () => {
    // Two workloads of one fleet (sub-directories of one work dir), both restarted at once as the engine would; checked
    // over HTTP, so no chain head to wait for after each restart.
    const node = (name: string, p: number) =>
      inputs({ name, dir: join(dir, name), args: ["server.js", String(p)], rpcUrl: `http://127.0.0.1:${p}`, readiness: "http", ports: [p], init: [] });
    const [a, b] = [node("a", port + 1), node("b", port + 2)];
    const olds = [await startNode(a), await startNode(b)];
    const news = [{ ...a, env: { V: "2" } }, { ...b, env: { V: "2" } }];
    let restarted: LocalProcessState[] | undefined;
    const restarting = Promise.all([restartNode(olds[0], news[0]), restartNode(olds[1], news[1])]).then((r) => (restarted = r));
    let mostDown = 0;
    while (!restarted) {
      const up = await Promise.all([a, b].map((n) => jsonRpcCall(n.rpcUrl, "eth_chainId", [], 500).then(() => true, () => false)));
      mostDown = Math.max(mostDown, up.filter((x) => !x).length);
      await new Promise((r) => setTimeout(r, 5));
    }
    await restarting;
    for (const s of restarted) await removeNode(s);
    expect(restarted.map((s) => s.pid)).not.toContain(olds[0].pid);
    expect(mostDown).toBe(1);
  });

  it("observes drift: a stopped process, an edited file, a removed secret file", async () => {
    state = await startNode(inputs());
    expect(await observeNode(state)).toEqual({ running: true, digests: state.digests });
    await appendFile(join(dir, "conf/app.toml"), "b = 2\n");
    await rm(join(dir, "password"));
    process.kill(state.pid, "SIGKILL");
    while (isOurProcess(state.pid, dir)) await new Promise((r) => setTimeout(r, 50));
    const seen = await observeNode(state);
    expect(seen.running).toBe(false);
    expect(seen.digests["conf/app.toml"]).not.toBe(state.digests["conf/app.toml"]);
    expect(seen.digests.password).toBe("missing");
    expect(seen.digests["server.js"]).toBe(state.digests["server.js"]);
  });

  it("refuses to start on a port in use, naming the node and the port", async () => {
    state = await startNode(inputs());
    await expect(startNode(inputs({ name: "n2", dir: join(dir, "other") }))).rejects.toThrow(`n2: port ${port} on 127.0.0.1 is already in use`);
  });

  it("reports a process that dies during start-up with its last log lines", async () => {
    await expect(
      startNode(inputs({ args: ["-e", "console.error('fatal: bad genesis'); process.exit(3)"] })),
    ).rejects.toThrow(/exited with code 3[\s\S]*fatal: bad genesis/);
  });

  it("waits for a node that answers JSON-RPC over its IPC socket only (a sealer), and opens no TCP port for it", async () => {
    // Like a geth sealer: no HTTP, a unix socket at a short path relative to its directory (data/geth.ipc).
    const IPC_SERVER = `
const net = require("node:net");
require("node:fs").mkdirSync("data", { recursive: true, mode: 0o700 });
net.createServer((s) => s.on("data", (d) => { const { id } = JSON.parse(d); s.write(JSON.stringify({ jsonrpc: "2.0", id, result: "0x7" }) + "\\n"); }))
  .listen("data/geth.ipc", () => require("node:fs").chmodSync("data/geth.ipc", 0o600));
`;
    state = await startNode(inputs({ files: { "ipc.js": IPC_SERVER }, args: ["ipc.js"], rpcUrl: join(dir, "data", "geth.ipc"), ports: [] }));
    expect(state.running).toBe(true);
    expect(statSync(join(dir, "data", "geth.ipc")).isSocket()).toBe(true);
    expect(statSync(join(dir, "data", "geth.ipc")).mode & 0o777).toBe(0o600);
    expect(await jsonRpcCall(join(dir, "data", "geth.ipc"), "eth_blockNumber")).toBe("0x7");
  });

  it("removeNode stops the process and deletes its directory", async () => {
    const s = await startNode(inputs());
    await removeNode(s);
    expect(isOurProcess(s.pid, dir)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});
