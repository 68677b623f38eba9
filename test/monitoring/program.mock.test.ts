// The program's monitor under pulumi.runtime.setMocks: asked for with `monitoring: {}`, it is a workload of the local
// target reading the first member's RPC node, knowing every signer by name and address and every RPC node; its URLs
// are outputs. It holds no key, and its resources name no path of this checkout.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import consortium from "../../program/index";
import { installMocks, isSecret, Registered, runProgram, setConsortiumConfig } from "../support/pulumiMocks";

let registered: Registered[] = [];
beforeAll(() => {
  registered = installMocks();
});
beforeEach(() => {
  registered.length = 0;
});

const AUTHORITIES = [
  { name: "alpha", member: "a" },
  { name: "beta", member: "b" },
  { name: "gamma", member: "c", retired: true },
];
const run = (config: Record<string, unknown>) => {
  setConsortiumConfig({ name: "mock", chainId: 4242, authorities: AUTHORITIES, fleet: { target: "local", rpcNode: true, workDir: "/tmp/mock-work" }, ...config });
  return runProgram(consortium);
};
const procs = () => registered.filter((r) => r.type === "pulumi-nodejs:dynamic/fleet:LocalNodeProcess");

describe("the monitor in the program", () => {
  it("runs as a local process beside the fleet, configured from the stack; its URLs are outputs", async () => {
    const out = await run({ monitoring: { windowBlocks: 32 } });
    const monitor = procs().find((p) => p.name === "monitor")!;
    expect(monitor).toBeDefined();
    expect(registered.find((r) => r.type === "consortium:monitoring:Monitor")?.name).toBe("monitor");
    expect(monitor.inputs.args).toEqual(["{consortium-deployer}/dist/monitor/main.js", "--config", "monitor.json"]);
    expect(monitor.inputs.dir).toBe("/tmp/mock-work/monitor");
    const config = JSON.parse(monitor.inputs.files["monitor.json"]);
    const rpcA = procs().find((p) => p.name === "fleet-rpc-a")!.inputs.rpcUrl;
    const rpcB = procs().find((p) => p.name === "fleet-rpc-b")!.inputs.rpcUrl;
    expect(config.chain).toMatchObject({ rpcUrl: rpcA, seal: "clique", windowBlocks: 32, pollSeconds: 5 });
    // The signers this stack seals with (gamma is retired), by name and address; the RPC nodes by name.
    const keys = registered.filter((r) => r.type === "consortium:keys:AuthorityKeys");
    expect(config.chain.signers.map((s: { name: string }) => s.name)).toEqual(["alpha", "beta"]);
    expect(config.chain.signers.every((s: { address: string }) => /^0x[0-9a-fA-F]{40}$/.test(s.address))).toBe(true);
    expect(keys.map((k) => k.name)).toContain("gamma");
    expect(config.nodes).toEqual([{ name: "rpc-a", rpcUrl: rpcA }, { name: "rpc-b", rpcUrl: rpcB }]);
    // On loopback, on its own port, ready once /healthz answers.
    expect(config.listen.host).toBe("127.0.0.1");
    expect(monitor.inputs.ports).toEqual([config.listen.port]);
    expect(monitor.inputs.readiness).toBe("http");
    expect(out.monitoring).toEqual({
      dashboardUrl: `http://127.0.0.1:${config.listen.port}/dashboard/`,
      statusUrl: `http://127.0.0.1:${config.listen.port}/api/status`,
      metricsUrl: `http://127.0.0.1:${config.listen.port}/metrics`,
      alerts: { blockPeriodSeconds: 5, backlogBlocks: 20, minValidatorGasEther: "0.05" },
    });
    // No key: its secret files (a secret input, whatever it holds) are none.
    expect(isSecret(monitor.inputs.secretFiles) && monitor.inputs.secretFiles.value).toEqual({});
  });

  it("is not declared unless asked for", async () => {
    const out = await run({});
    expect(procs().map((p) => p.name)).not.toContain("monitor");
    expect(out.monitoring).toBeUndefined();
  });
});
