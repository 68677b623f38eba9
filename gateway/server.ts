// The policy gateway's HTTP server: JSON-RPC over POST (single requests and batches), each request judged by the policy
// (gateway/policy.ts) and only the admitted ones forwarded to the RPC node behind it; answers keep their ids and order.
// GET /healthz for the target's checks. Browsers may call it (CORS: any origin, the Authorization header allowed): the
// bridge app reads the chain through it.
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import type { PermissionsSpec } from "../settings/permissions";
import { ApiKeys, presentedKey } from "./access";
import { CODES, JsonRpcRequest, verdict } from "./policy";

/** Bodies and batches beyond these are refused before anything is forwarded (the node behind is not exposed to floods). */
export const MAX_BODY_BYTES = 1 << 20;
export const MAX_BATCH = 100;
/** A node that does not answer within this is reported as such (502), not waited for. */
const UPSTREAM_TIMEOUT_MS = 30_000;

export interface GatewayOptions {
  host: string;
  port: number;
  /** The RPC node it guards (JSON-RPC over HTTP). */
  upstream: string;
  policy: () => PermissionsSpec;
  keys: () => ApiKeys;
  log: (message: string) => void;
}

export interface GatewayServer {
  url: string;
  close(): Promise<void>;
}

const CORS = { "access-control-allow-origin": "*", "access-control-allow-headers": "authorization, content-type", "access-control-allow-methods": "POST, OPTIONS" };

const errorReply = (id: unknown, code: number, message: string) => ({ jsonrpc: "2.0", id: id ?? null, error: { code, message } });

function readBody(req: IncomingMessage): Promise<Buffer | "too large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve("too large");
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Forwards the admitted requests as one batch; the node's answers by id. */
async function forward(upstream: string, requests: JsonRpcRequest[]): Promise<Map<unknown, unknown>> {
  if (requests.length === 0) return new Map();
  const res = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(requests), signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  const answers = (await res.json()) as { id?: unknown }[];
  return new Map(answers.map((a) => [a.id, a]));
}

export async function startGateway(o: GatewayOptions): Promise<GatewayServer> {
  const send = (res: ServerResponse, status: number, body: unknown): void => void res.writeHead(status, { ...CORS, "content-type": "application/json" }).end(JSON.stringify(body));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? "/";
    if (req.method === "OPTIONS") return void res.writeHead(204, CORS).end();
    if (req.method === "GET" && path === "/healthz") return send(res, 200, { ok: true });
    if (req.method !== "POST") return void res.writeHead(405, CORS).end();
    const body = await readBody(req);
    if (body === "too large") return send(res, 413, errorReply(null, CODES.invalidRequest, `request body over ${MAX_BODY_BYTES} bytes`));
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return send(res, 400, errorReply(null, -32700, "parse error: the body is not JSON"));
    }
    const batch = Array.isArray(parsed);
    const requests = (batch ? parsed : [parsed]) as JsonRpcRequest[];
    if (requests.length === 0 || requests.length > MAX_BATCH) return send(res, 400, errorReply(null, CODES.invalidRequest, `a batch holds 1 to ${MAX_BATCH} requests`));
    const holder = o.keys().holder(presentedKey(req.headers.authorization, path));
    const policy = o.policy();
    // Ids are the gateway's own towards the node: callers' ids may repeat or be absent.
    const judged = requests.map((r, i) => ({ request: r, refusal: verdict(policy, r ?? {}, holder !== undefined), inner: i }));
    for (const j of judged.filter((x) => x.refusal)) o.log(`refused ${String(j.request?.method)} (${j.refusal!.code}) for ${holder ?? "a caller without a key"}: ${j.refusal!.message}`);
    const answers = await forward(o.upstream, judged.filter((j) => !j.refusal).map((j) => ({ ...j.request, jsonrpc: "2.0", id: j.inner })));
    const replies = judged.map((j) => {
      if (j.refusal) return errorReply(j.request?.id, j.refusal.code, j.refusal.message);
      const a = answers.get(j.inner) as Record<string, unknown> | undefined;
      return a ? { ...a, id: j.request.id ?? null } : errorReply(j.request.id, -32603, "the RPC node gave no answer");
    });
    // Unauthorized as a whole: the HTTP status says so too (clients and proxies that read only that).
    const status = judged.every((j) => j.refusal?.code === CODES.unauthorized) ? 401 : 200;
    send(res, status, batch ? replies : replies[0]);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      o.log(`error: ${(e as Error).message}`);
      if (!res.headersSent) send(res, 502, errorReply(null, -32603, "the RPC node behind the gateway did not answer"));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${o.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
