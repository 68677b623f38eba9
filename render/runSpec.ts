// A run spec: everything a target needs to run one node, independent of where it runs.

export interface NodePorts {
  /** devp2p TCP/UDP. */
  p2p: number;
  /** JSON-RPC over HTTP. */
  http: number;
  /** Engine API (geth opens it unconditionally; bound to loopback). */
  authrpc: number;
}

export interface RunSpec {
  /** Node name, unique in the fleet. */
  name: string;
  /** Executable and arguments; paths inside args are relative to the node directory. */
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Non-secret files, path relative to the node directory → content. */
  files: Record<string, string>;
  /** Secret files (mode 0600) the apply layer must supply from Pulumi secrets, by path. */
  secretFiles: string[];
  /** One-shot commands run before the first start (and again after a reset). */
  init: { command: string; args: string[] }[];
  ports: NodePorts;
  /** JSON-RPC URL answering once the node is up. */
  rpcUrl: string;
}
