// Minimal JSON-RPC 2.0 over a client's IPC socket (a unix socket: geth writes one JSON response per request), and
// one call for either transport: an http(s) URL, or the absolute path of a socket. Sealers serve JSON-RPC over IPC
// only (render/geth/node.ts), so readiness checks and validator votes on the local target go through here.
// Not ethers' IpcSocketProvider: it keeps a socket open, probes the network first and has no per-call timeout, while
// a readiness poll needs one short call that fails fast on a node not yet listening.
import { createConnection } from "node:net";
import { resolveStoredPath } from "./project";

/** sun_path holds 108 bytes with the terminating NUL (render/runSpec.ts MAX_UNIX_SOCKET_PATH). */
const MAX_SOCKET_PATH = 107;

export class JsonRpcError extends Error {
  constructor(
    readonly endpoint: string,
    readonly method: string,
    readonly code: number | undefined,
    message: string,
  ) {
    super(`${method} at ${endpoint}: ${message}`);
  }
}

export const isHttp = (endpoint: string) => /^https?:\/\//.test(endpoint);

/** One JSON-RPC call over the unix socket at `path`; rejects on an error response, a closed socket or the timeout. */
export function ipcCall<T>(path: string, method: string, params: unknown[] = [], timeoutMs = 5000): Promise<T> {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    return Promise.reject(new Error(`IPC socket path ${path} is ${Buffer.byteLength(path)} bytes, longer than the ${MAX_SOCKET_PATH} a unix socket path may have: move the node directory to a shorter path`));
  }
  return new Promise<T>((resolve, reject) => {
    const socket = createConnection({ path });
    let buffer = "";
    let settled = false;
    const finish = (err: Error | undefined, value?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value as T);
    };
    const timer = setTimeout(() => finish(new Error(`${method} at ${path}: no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) + "\n"));
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      let body: { result?: T; error?: { code?: number; message: string } };
      try {
        body = JSON.parse(buffer);
      } catch {
        return; // an incomplete response: wait for the rest
      }
      if (body.error) finish(new JsonRpcError(path, method, body.error.code, body.error.message));
      else finish(undefined, body.result as T);
    });
    socket.on("error", (err) => finish(new Error(`${method} at ${path}: ${err.message}`)));
    socket.on("close", () => finish(new Error(`${method} at ${path}: the socket closed before an answer`)));
  });
}

/** One JSON-RPC call over HTTP. */
export async function httpCall<T>(url: string, method: string, params: unknown[] = [], timeoutMs = 5000): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new JsonRpcError(url, method, res.status, `HTTP ${res.status}`);
  const body = (await res.json()) as { result?: T; error?: { code?: number; message: string } };
  if (body.error) throw new JsonRpcError(url, method, body.error.code, body.error.message);
  return body.result as T;
}

/** One JSON-RPC call to `endpoint`: an http(s) URL, or the absolute path of an IPC socket. */
export function jsonRpcCall<T>(endpoint: string, method: string, params: unknown[] = [], timeoutMs = 5000): Promise<T> {
  // A socket path in state may be relative: to the project folder, like the node's directory (lib/project.ts).
  return isHttp(endpoint) ? httpCall<T>(endpoint, method, params, timeoutMs) : ipcCall<T>(resolveStoredPath(endpoint), method, params, timeoutMs);
}
