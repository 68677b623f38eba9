// The `fleet` setting: where the nodes run (local processes, Docker hosts, Kubernetes) and how.
import { Client, CLIENTS, DEFAULT_IMAGES } from "./clients";
import { DockerHost, FleetSpec } from "./consortium";
import { DNS_FIX, DNS_LABEL, int, isRecord, parseResources, pinnedImage, quantity, Report, show } from "./fields";

export const FLEET_DEFAULTS = {
  verbosity: 3,
  storageSize: "20Gi",
  resources: { cpuRequest: "500m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "4Gi" },
};
/** Ports are reserved per stack in blocks of 100 (lib/ports.ts), three per node: 33 slots, one kept spare (slots.ts). */
export const MAX_LOCAL_NODES = 32;

const COMMON_KEYS = ["target", "rpcNode", "verbosity"];
const TARGET_KEYS: Record<FleetSpec["target"], string[]> = {
  local: [...COMMON_KEYS, "workDir"],
  docker: [...COMMON_KEYS, "images", "hosts", "rpcBind"],
  kubernetes: [...COMMON_KEYS, "images", "namespace", "storageClass", "storageSize", "resources"],
};
const DOCKER_URL = /^(ssh:\/\/[^\s/]+|tcp:\/\/[^\s/]+:\d+|unix:\/\/\/\S+)$/;

export interface FleetContext {
  authorities: number;
  members: string[];
  client: Client | undefined;
}

export function parseFleet(raw: unknown, ctx: FleetContext, problem: Report): FleetSpec | undefined {
  const fleet = raw === undefined ? {} : raw;
  if (!isRecord(fleet)) {
    problem("fleet", `${show(raw)} is not an object`, "write { target: local }, { target: docker } or { target: kubernetes }");
    return undefined;
  }
  const target = fleet.target ?? "local";
  if (target !== "local" && target !== "docker" && target !== "kubernetes") {
    problem("fleet.target", `${show(target)} is not a target`, 'use "local", "docker" or "kubernetes"');
    return undefined;
  }
  for (const key of Object.keys(fleet)) {
    if (!TARGET_KEYS[target].includes(key)) {
      problem(`fleet.${key}`, `is not a known setting of the ${target} target`, `remove it; known: ${TARGET_KEYS[target].join(", ")}`);
    }
  }
  const rpcNode = fleet.rpcNode ?? true;
  if (typeof rpcNode !== "boolean") problem("fleet.rpcNode", `${show(rpcNode)} is not a boolean`, "set true or false");
  const verbosity =
    fleet.verbosity === undefined ? FLEET_DEFAULTS.verbosity : int(fleet.verbosity, "fleet.verbosity", 0, 5, problem, "use 0 (silent) to 5 (trace); 3 is geth's default");
  const common = { rpcNode: rpcNode === true, verbosity: verbosity ?? FLEET_DEFAULTS.verbosity };

  switch (target) {
    case "local": {
      if (fleet.workDir !== undefined && (typeof fleet.workDir !== "string" || fleet.workDir === "")) {
        problem("fleet.workDir", `${show(fleet.workDir)} is not a directory path`, "give a path, absolute or relative to the stack folder");
      }
      if (ctx.client !== undefined && ctx.client !== "geth") {
        problem("fleet.target", `the local target runs geth processes, not ${ctx.client}`, 'use target "docker" or "kubernetes" for other clients, or client "geth" (engine clique)');
      }
      // One port slot per authority and per member's RPC node (render/validators/slots.ts reserves them by member).
      const rpcNodes = common.rpcNode ? ctx.members.length : 0;
      const nodes = ctx.authorities + rpcNodes;
      if (nodes > MAX_LOCAL_NODES) {
        problem(
          "authorities",
          `${nodes} local nodes exceed the ${MAX_LOCAL_NODES} one stack can run on one machine (${ctx.authorities} authorities + ${rpcNodes} member RPC nodes)`,
          "split the fleet across members' machines, or run fewer authorities",
        );
      }
      return { target, ...common, ...(typeof fleet.workDir === "string" && fleet.workDir !== "" ? { workDir: fleet.workDir } : {}) };
    }
    case "docker":
      return {
        target,
        ...common,
        images: parseImages(fleet.images, problem),
        hosts: parseHosts(fleet.hosts, ctx.members, problem),
        rpcBind: parseRpcBind(fleet.rpcBind, problem),
      };
    case "kubernetes": {
      const namespace = fleet.namespace ?? "consortium";
      if (typeof namespace !== "string" || !DNS_LABEL.test(namespace)) problem("fleet.namespace", `${show(namespace)} is not a namespace name`, DNS_FIX);
      if (fleet.storageClass !== undefined && (typeof fleet.storageClass !== "string" || fleet.storageClass === "")) {
        problem("fleet.storageClass", `${show(fleet.storageClass)} is not a storage class name`, "name a StorageClass of the cluster, or remove it for the default");
      }
      const storageSize = quantity(fleet.storageSize ?? FLEET_DEFAULTS.storageSize, "fleet.storageSize", problem);
      return {
        target,
        ...common,
        images: parseImages(fleet.images, problem),
        namespace: namespace as string,
        ...(typeof fleet.storageClass === "string" && fleet.storageClass !== "" ? { storageClass: fleet.storageClass } : {}),
        storageSize,
        resources: parseResources(fleet.resources, "fleet.resources", FLEET_DEFAULTS.resources, problem),
      };
    }
  }
}

function parseImages(raw: unknown, problem: Report): Record<Client, string> {
  const images = { ...DEFAULT_IMAGES };
  if (raw === undefined) return images;
  if (!isRecord(raw)) {
    problem("fleet.images", `${show(raw)} is not an object`, 'map clients to images, e.g. { geth: "ethereum/client-go:v1.13.15" }');
    return images;
  }
  for (const [client, image] of Object.entries(raw)) {
    if (!(CLIENTS as readonly string[]).includes(client)) {
      problem(`fleet.images.${client}`, "is not a client", `use one of: ${CLIENTS.join(", ")}`);
    } else {
      const pinned = pinnedImage(image, `fleet.images.${client}`, problem);
      if (pinned) images[client as Client] = pinned;
    }
  }
  return images;
}

function parseHosts(raw: unknown, members: string[], problem: Report): Record<string, DockerHost> {
  const out: Record<string, DockerHost> = {};
  if (raw === undefined) return out;
  if (!isRecord(raw)) {
    problem("fleet.hosts", `${show(raw)} is not an object`, 'map members to hosts, e.g. { org-a: { url: "ssh://deploy@node1.org-a.example", address: "node1.org-a.example" } }');
    return out;
  }
  for (const [member, host] of Object.entries(raw)) {
    const at = `fleet.hosts.${member}`;
    if (!members.includes(member)) {
      problem(at, `"${member}" is not a member of any authority`, `use one of: ${members.join(", ")}`);
      continue;
    }
    if (!isRecord(host) || typeof host.url !== "string" || !DOCKER_URL.test(host.url)) {
      problem(`${at}.url`, `${show(isRecord(host) ? host.url : host)} is not a Docker host URL`, 'write "ssh://user@host", "tcp://host:2376" or "unix:///var/run/docker.sock"');
      continue;
    }
    if (typeof host.address !== "string" || !/^[A-Za-z0-9.-]+$/.test(host.address)) {
      problem(`${at}.address`, `${show(host.address)} is not a host name or IP address`, "give the address other members reach this host's p2p ports at");
      continue;
    }
    for (const key of Object.keys(host)) {
      if (!["url", "address", "rpcBind"].includes(key)) problem(`${at}.${key}`, "is not a known setting of a Docker host", "remove it; known: url, address, rpcBind");
    }
    // Each member's RPC node publishes on its own host: an address of that host (fleet.rpcBind is the default).
    const rpcBind = host.rpcBind === undefined ? undefined : parseRpcBind(host.rpcBind, problem, `${at}.rpcBind`);
    out[member] = { url: host.url, address: host.address, ...(rpcBind !== undefined ? { rpcBind } : {}) };
  }
  return out;
}

function parseRpcBind(raw: unknown, problem: Report, field = "fleet.rpcBind"): string {
  if (raw === undefined) return "127.0.0.1";
  if (typeof raw !== "string" || !/^(\d{1,3}\.){3}\d{1,3}$/.test(raw)) {
    problem(field, `${show(raw)} is not an IPv4 address`, 'use "127.0.0.1" (default) or the host\'s private interface address');
    return "127.0.0.1";
  }
  return raw;
}

