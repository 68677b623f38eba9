// TEST DOUBLE of a compromised or faulty RPC endpoint: a JSON-RPC proxy on loopback in front of a real node, which
// forwards every call (batches split into single calls) and lets the test answer a call itself or rewrite the
// node's answer — how a test feeds one validator forged logs, forged contract reads, or a chain that reorganised.
// It records every call it saw, so a test can also read what the agent sent (e.g. a signature in eth_estimateGas).
import { createServer, IncomingMessage, Server } from "node:http";
import { AddressInfo } from "node:net";

export interface RpcCall {
  method: string;
  params: unknown[];
}

export interface Interceptor {
  /** An answer of the test's own (the node is not asked), or undefined to forward. */
  answer?(call: RpcCall): unknown | undefined;
  /** The node's result, possibly rewritten; `node` asks the real node (e.g. for a block hash). */
  rewrite?(call: RpcCall, result: unknown, node: (method: string, params: unknown[]) => Promise<unknown>): unknown | Promise<unknown>;
}

export interface RpcProxy {
  url: string;
  /** Every call seen, in order. */
  calls: RpcCall[];
  /** Replaces the interceptor (e.g. to start lying mid-test). */
  set(interceptor: Interceptor): void;
  stop(): Promise<void>;
}

interface Request extends RpcCall {
  jsonrpc: "2.0";
  id: unknown;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

export async function startRpcProxy(target: string, initial: Interceptor = {}): Promise<RpcProxy> {
  let interceptor = initial;
  const calls: RpcCall[] = [];
  const forward = async (r: RpcCall): Promise<{ result?: unknown; error?: unknown }> => {
    const res = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: r.method, params: r.params }) });
    return (await res.json()) as { result?: unknown; error?: unknown };
  };
  const node = async (method: string, params: unknown[]) => (await forward({ method, params })).result;
  const one = async (r: Request) => {
    const call = { method: r.method, params: r.params ?? [] };
    calls.push(call);
    const own = interceptor.answer?.(call);
    if (own !== undefined) return { jsonrpc: "2.0", id: r.id, result: own };
    const { result, error } = await forward(call);
    if (error !== undefined) return { jsonrpc: "2.0", id: r.id, error };
    return { jsonrpc: "2.0", id: r.id, result: interceptor.rewrite ? await interceptor.rewrite(call, result, node) : result };
  };
  const server: Server = createServer(async (req, res) => {
    try {
      const parsed = JSON.parse(await body(req)) as Request | Request[];
      const out = Array.isArray(parsed) ? await Promise.all(parsed.map(one)) : await one(parsed);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
    } catch (e) {
      res.writeHead(502).end(String(e));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    set: (i) => (interceptor = i),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
