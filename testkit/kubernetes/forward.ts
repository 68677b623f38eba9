// A service of the host made reachable from the test cluster's pods: a TCP forwarder on the node's address (the pods'
// bridge gateway, a network the harness made) to a service that listens on loopback only (a test chain). It stands
// for what a real consortium has: an Ethereum endpoint its cluster reaches. Bytes are piped unchanged both ways.
import { AddressInfo, createConnection, createServer, Socket } from "node:net";
import { CLUSTER } from "./config";

export interface Forward {
  /** `target` with its host and port replaced by the forwarder's on the node's address. */
  url: string;
  stop(): Promise<void>;
}

export async function forwardToCluster(target: string): Promise<Forward> {
  const to = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = createConnection({ host: to.hostname, port: Number(to.port) });
    for (const [a, b] of [[inbound, outbound], [outbound, inbound]] as const) {
      sockets.add(a);
      a.on("close", () => sockets.delete(a));
      a.on("error", () => b.destroy());
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, CLUSTER.nodeIp, resolve));
  const url = new URL(target);
  url.hostname = CLUSTER.nodeIp;
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString().replace(/\/$/, ""),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
