// A member's authority run on the member's own host (local processes): it listens for p2p where its ceremony endpoint
// says and advertises that host, so the other members' nodes reach it; without an endpoint, or in a container (whose
// ports its target fixes), nothing changes.
import { describe, expect, it } from "vitest";
import { renderChainFile } from "../../render/chain";
import { FleetNodeKeys, fleetEnodes, renderFleet } from "../../render/fleet";
import { nodePublicKey } from "../../render/keys/nodeKey";
import { localSites } from "../../render/site";
import { AUTHORITIES, clientSpec, keystoreOf, nodeKeyOf, signerAddressOf, validatorsOf } from "../render/clients/fixtures";

const ENDPOINT = "10.79.0.2:30303";
const spec = clientSpec("clique", "geth", { fleet: { target: "local" } });
const chain = renderChainFile(spec, { validators: validatorsOf(spec) });
const nodes: FleetNodeKeys[] = AUTHORITIES.map((name, i) => ({
  name,
  member: `org-${i + 1}`,
  nodePublicKey: nodePublicKey(nodeKeyOf(i)),
  sealer: true,
  signer: { address: signerAddressOf(i), keystore: keystoreOf(i) },
  ...(i === 0 ? { endpoint: ENDPOINT } : {}),
}));
const sites = localSites(40_000, AUTHORITIES.map((name, i) => ({ name, member: `org-${i + 1}` })), { peers: true, portsEach: 3 });
const arg = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe("a member's authority on its own host", () => {
  const runs = renderFleet({ spec, chain, nodes, sites, externalPeers: [], metricsPorts: [40_300, 40_301, 40_302] });

  it("listens for p2p on its endpoint's port and advertises its endpoint's host", () => {
    expect(arg(runs[0].args, "--port")).toBe("30303");
    expect(arg(runs[0].args, "--nat")).toBe("extip:10.79.0.2");
    // Its RPC and IPC stay where the local target put them: loopback, its own block.
    expect(arg(runs[0].args, "--authrpc.addr")).toBe("127.0.0.1");
  });

  it("is dialled there by the other nodes, and named there in the fleet's enodes", () => {
    const enode = fleetEnodes(nodes, sites)[0];
    expect(enode).toBe(`enode://${nodes[0].nodePublicKey}@${ENDPOINT}`);
    for (const run of runs.slice(1)) expect(Object.values(run.files).join("\n")).toContain(enode);
  });

  it("leaves the nodes without an endpoint on loopback and their block's ports", () => {
    expect(arg(runs[1].args, "--port")).toBe(String(sites[1].portBase));
    expect(arg(runs[1].args, "--nat")).toBe("extip:127.0.0.1");
  });

  it("changes nothing in a container, whose ports its target fixes", () => {
    const containerSites = AUTHORITIES.map((_, i) => ({ bindHost: "0.0.0.0", address: `172.28.0.${10 + i}` }));
    expect(fleetEnodes(nodes, containerSites)[0]).toBe(`enode://${nodes[0].nodePublicKey}@172.28.0.10:30303`);
  });
});
