// lib/ipc: JSON-RPC over a unix socket (how the deployer reaches sealers, which serve no HTTP) and over HTTP, against
// tiny servers; geth's own socket is exercised by test/integration/localConsortium.test.ts.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, Server as HttpServer } from "node:http";
import { createServer, Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ipcCall, jsonRpcCall, JsonRpcError } from "../../lib/ipc";
import { ipcSocketPath, localReadiness } from "../../render/local/process";
import { Workload } from "../../render/workload";

/** A socket server answering each request by `answer`, written in two chunks (a response may arrive split). */
function ipcServer(path: string, answer: (req: { id: number; method: string; params: unknown[] }) => unknown): Promise<Server> {
  const server = createServer((socket) =>
    socket.on("data", (d) => {
      const req = JSON.parse(d.toString());
      const text = JSON.stringify({ jsonrpc: "2.0", id: req.id, ...(answer(req) as object) }) + "\n";
      socket.write(text.slice(0, 5));
      setTimeout(() => socket.write(text.slice(5)), 20);
    }),
  );
  return new Promise((resolve) => server.listen(path, () => resolve(server)));
}

describe("JSON-RPC over IPC and HTTP", () => {
  let dir: string;
  const servers: (Server | HttpServer)[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("calls over a unix socket, reassembling a response split across reads, and passes params", async () => {
    dir = await mkdtemp(join(tmpdir(), "ipc-"));
    const path = join(dir, "geth.ipc");
    servers.push(await ipcServer(path, (r) => ({ result: { method: r.method, params: r.params } })));
    expect(await ipcCall(path, "clique_propose", ["0x01", true])).toEqual({ method: "clique_propose", params: ["0x01", true] });
    expect(await jsonRpcCall(path, "eth_chainId")).toEqual({ method: "eth_chainId", params: [] });
  });

  it("turns an error response into a JsonRpcError naming the method and the socket", async () => {
    dir = await mkdtemp(join(tmpdir(), "ipc-"));
    const path = join(dir, "geth.ipc");
    servers.push(await ipcServer(path, () => ({ error: { code: -32601, message: "the method nope does not exist" } })));
    const err = (await ipcCall(path, "nope").catch((e: unknown) => e)) as JsonRpcError;
    expect(err).toBeInstanceOf(JsonRpcError);
    expect(err.message).toBe(`nope at ${path}: the method nope does not exist`);
  });

  it("fails fast on a missing socket and refuses a path longer than a unix socket path may be", async () => {
    dir = await mkdtemp(join(tmpdir(), "ipc-"));
    await expect(ipcCall(join(dir, "absent.ipc"), "eth_chainId")).rejects.toThrow(/absent\.ipc: connect ENOENT/);
    const long = join(dir, "x".repeat(120), "geth.ipc");
    await expect(ipcCall(long, "eth_chainId")).rejects.toThrow(/bytes, longer than the 107 a unix socket path may have/);
  });

  it("calls over HTTP when the endpoint is a URL", async () => {
    const server = createHttpServer((_req, res) => res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: "0x2a" })));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const { port } = server.address() as { port: number };
    expect(await jsonRpcCall(`http://127.0.0.1:${port}`, "eth_chainId")).toBe("0x2a");
  });
});

/** A workload with nothing but what readiness looks at. */
const workload = (over: Partial<Workload>): Workload => ({
  name: "alpha",
  member: "m",
  role: "authority",
  group: "nodes",
  image: "",
  command: "geth",
  args: [],
  env: {},
  files: {},
  secretFiles: {},
  init: [],
  ports: [],
  ...over,
});

describe("a local sealer's endpoint", () => {
  it("is its absolute socket path, its HTTP URL for an RPC node, or a health URL for a service", () => {
    expect(localReadiness(workload({ endpoint: { ipc: "data/geth.ipc" } }), "/srv/c/alpha")).toEqual({ rpcUrl: "/srv/c/alpha/data/geth.ipc", readiness: "jsonrpc" });
    const rpc = workload({ name: "rpc-a", ports: [{ name: "rpc", port: 30410, reach: "clients" }], endpoint: { http: "rpc" } });
    expect(localReadiness(rpc, "/srv/c/rpc-a")).toEqual({ rpcUrl: "http://127.0.0.1:30410", readiness: "jsonrpc" });
    const agent = workload({ name: "bridge-agent-a", ports: [{ name: "health", port: 30510, reach: "clients" }], health: { http: { port: "health", path: "/healthz" } } });
    expect(localReadiness(agent, "/srv/c/bridge-agent-a")).toEqual({ rpcUrl: "http://127.0.0.1:30510/healthz", readiness: "http" });
    expect(() => localReadiness(workload({ health: { exec: ["true"] } }), "/srv/c/alpha")).toThrow(/needs a JSON-RPC endpoint or an HTTP health check/);
  });

  it("is refused, naming the path and the fix, when the work dir makes it too long for a unix socket", () => {
    const workDir = "/" + "w".repeat(100);
    expect(() => ipcSocketPath("alpha", `${workDir}/alpha`, "data/geth.ipc")).toThrow(
      new RegExp(`node alpha: its IPC socket ${workDir}/alpha/data/geth.ipc is 121 bytes, longer than the 107 bytes .* Fix: set consortium:fleet.workDir to a directory at most 87 bytes long`),
    );
  });
});
