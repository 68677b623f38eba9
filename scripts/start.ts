// `npm start`: bring up the embedded default, the local dev consortium, and say how to reach it.
import type { BridgeAddresses } from "../components/bridge/TokenBridge";
import { join } from "node:path";
import { DEV_STACK, projectDirFor, UP_PARALLEL } from "../lib/cli/env";
import { nodeLogTails } from "../lib/cli/nodeLogs";
import { defaultWorkDir } from "../lib/project";
import { cacheOutputs } from "../lib/cli/outputsCache";
import { openCliStack } from "../lib/cli/cliStack";
import type { MonitoringOutput } from "../render/monitoring/prometheus";

async function main(): Promise<void> {
  const projectDir = projectDirFor(DEV_STACK);
  const stack = await openCliStack({ stack: DEV_STACK, projectDir });
  console.log(`[start] pulumi up (stack ${DEV_STACK}) ...`);
  try {
    // Refresh first: nodes that stopped (a reboot) or files edited on disk are seen, and healed by this up.
    await stack.up({ refresh: true, parallel: UP_PARALLEL, onOutput: (s) => process.stdout.write(s) });
  } catch (err) {
    // What the nodes said, before anyone tears the stack down: the dev stack's processes live in the default work
    // dir (stacks/Pulumi.dev.yaml sets no fleet.workDir).
    const tails = nodeLogTails(join(projectDir, defaultWorkDir(DEV_STACK)), 15);
    if (tails) console.error(`[start] the last lines of each process's log:\n${tails}`);
    throw err;
  }
  const o = await stack.outputs();
  await cacheOutputs(DEV_STACK, o);
  const signers = (o.signers?.value as string[]) ?? [];
  const bridge = o.bridge?.value as BridgeAddresses | undefined;
  const monitoring = o.monitoring?.value as MonitoringOutput | undefined;
  // Every member's own non-signing RPC node; the first is the stack's rpcUrl. Authorities serve no RPC.
  const memberRpc = Object.entries((o.memberRpcUrls?.value as Record<string, string> | undefined) ?? {});
  const width = Math.max(0, ...memberRpc.map(([m]) => m.length));
  console.log(
    [
      "",
      "Local consortium is up.",
      `  RPC URL   ${o.rpcUrl?.value ?? "(none: fleet.rpcNode is false)"}`,
      ...memberRpc.map(([member, url], i) => `${i === 0 ? "  members  " : "           "}${member.padEnd(width)}  ${url}`),
      `  chain id  ${o.chainId?.value}`,
      `  signers   ${signers.join("\n            ")}`,
      `  dev acct  ${(o.devAccount?.value as { address?: string } | undefined)?.address ?? "(none)"}`,
      ...(bridge
        ? [
            `  bridge    foreign chain ${bridge.foreign.chainId} at ${o.foreignRpcUrl?.value}: vault ${bridge.foreign.vault}, token ${bridge.foreign.token}`,
            `            home gateway ${bridge.home.gateway}, bridged token ${bridge.home.token}`,
            `            ${bridge.threshold}-of-${bridge.validators.length} validators; try: npm run bridge -- deposit 10   then   npm run bridge -- withdraw 4`,
          ]
        : []),
      ...(monitoring
        ? [
            ...(monitoring.appUrl ? [`  bridge app ${monitoring.appUrl}   (token holders: connect a wallet, deposit, withdraw)`] : []),
            `  dashboard ${monitoring.dashboardUrl}`,
            `  monitor   ${monitoring.statusUrl}   metrics ${monitoring.metricsUrl}`,
            "            Prometheus files for it: npm run prometheus -- --out <dir>",
          ]
        : []),
      ...(o.poco ? [`  PoCo      hub ${(o.poco.value as { hub: string }).hub}; try: npm run iexec -- wallet show   and   npm run iexec -- account deposit 1000000000`] : []),
      "",
      "  All outputs:      npm run pulumi -- stack output --json -s dev",
      "  Dev private key:  npm run pulumi -- stack output devAccount --show-secrets -s dev",
      "  Stop it:          npm run down        (keys are kept; add -- --purge to delete them)",
    ].join("\n"),
  );
}

main().catch((err: Error) => {
  console.error(`[start] ${err.message}`);
  process.exit(1);
});
