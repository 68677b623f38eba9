// The monitor's HTTP server (plain node:http): GET routes only, each answering JSON or text.
import { createServer } from "node:http";
import { AddressInfo } from "node:net";

export interface Reply {
  status: number;
  type: string;
  body: string;
}

export type Routes = Record<string, () => Promise<Reply>>;

export interface Server {
  port: number;
  close(): Promise<void>;
}

export const json = (status: number, value: unknown): Reply => ({ status, type: "application/json", body: JSON.stringify(value) });

export async function startServer(host: string, port: number, routes: Routes): Promise<Server> {
  const server = createServer((req, res) => {
    const route = routes[(req.url ?? "/").split("?")[0]];
    if (req.method !== "GET") return void res.writeHead(405).end();
    if (!route) return void res.writeHead(404).end();
    route().then(
      (r) => res.writeHead(r.status, { "content-type": r.type, "cache-control": "no-store" }).end(r.body),
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
