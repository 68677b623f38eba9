// The monitor's HTTP server (plain node:http): GET routes only, each answering JSON, text or a built page's file.
// Same-origin only (no CORS header): the pages it serves read its JSON, and nothing else may.
import { createServer } from "node:http";
import { AddressInfo } from "node:net";

export interface Reply {
  status: number;
  type: string;
  body: string | Buffer;
}

/** By path; each gets the request's URL (its query carries a route's arguments). */
export type Routes = Record<string, (url: URL) => Promise<Reply>>;

export interface Server {
  port: number;
  close(): Promise<void>;
}

/** Pages load their own scripts and styles and read this server only; no other site may frame them. */
const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "referrer-policy": "no-referrer",
};

export const json = (status: number, value: unknown): Reply => ({ status, type: "application/json", body: JSON.stringify(value) });

export async function startServer(host: string, port: number, routes: Routes): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://monitor");
    const route = routes[url.pathname];
    if (req.method !== "GET") return void res.writeHead(405).end();
    if (!route) return void res.writeHead(404).end();
    route(url).then(
      (r) => res.writeHead(r.status, { "content-type": r.type, "cache-control": "no-store", ...SECURITY_HEADERS }).end(r.body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
