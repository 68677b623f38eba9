// `consortium bridge [-s <stack>] <command>` (`npm run bridge -- …`): moves tokens across the stack's bridge and waits until the other side
// has them (deposit, withdraw: the user executes the release and pays its foreign gas), takes back a non-whitelisted
// deposit (refund), releases a signed withdrawal (execute), and flips a contract's emergency pause (pause, unpause:
// only this command does; `pulumi up` never does). Amounts are in token units ("12.5"). The key is the dev account's
// in the dev stack; elsewhere the environment variable named by --key-env holds it (the pauser's for pause/unpause).
import { formatUnits, parseUnits, Wallet } from "ethers";
import { balances, BridgeContractName, deposit, execute, refund, setPaused, withdraw } from "../lib/bridge/client";
import { endpointsFromOutputs } from "../lib/bridge/endpoints";
import { stackArg } from "../lib/cli/args";
import { COMMANDS } from "../lib/cli/commands";
import { DEV_STACK } from "../lib/cli/env";
import { readStackOutputs } from "../lib/cli/outputsCache";

const USAGE = `usage: ${COMMANDS.bridge.usage}`;
const SUBCOMMANDS = ["deposit", "withdraw", "balance", "refund", "execute", "pause", "unpause"];

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const name = stackArg(argv) ?? DEV_STACK;
  const positional = argv.filter((a, i) => !a.startsWith("-") && !["-s", "--stack", "--to", "--key-env"].includes(argv[i - 1]));
  const [command, amountText] = positional;
  const needsArg = command !== "balance";
  const badTarget = (command === "pause" || command === "unpause") && amountText !== "vault" && amountText !== "gateway";
  if (!SUBCOMMANDS.includes(command) || (needsArg && !amountText) || badTarget) {
    console.error(USAGE);
    return 2;
  }
  const keyEnv = option(argv, "--key-env");
  // A balance only reads the chains: the stack's public outputs serve (cached: no engine), with the dev account's address.
  const outputs = await readStackOutputs(name, { secrets: command !== "balance" && !keyEnv });
  const ep = endpointsFromOutputs(outputs);
  const dev = outputs.devAccount?.value as { address?: string; privateKey?: string } | undefined;
  const key = keyEnv ? process.env[keyEnv] : dev?.privateKey;
  const noKey = () => new Error(keyEnv ? `environment variable ${keyEnv} is empty` : `stack ${name} has no dev account: pass --key-env <VAR> naming a variable that holds your private key`);
  const show = (b: Awaited<ReturnType<typeof balances>>) => `foreign ${formatUnits(b.foreign, b.decimals)}, home ${formatUnits(b.home, b.decimals)}`;
  if (command === "balance") {
    const holder = key ? new Wallet(key).address : dev?.address;
    if (!holder) throw noKey();
    console.log(`${holder}: ${show(await balances(ep, holder))}`);
    return 0;
  }
  if (!key) throw noKey();
  const me = new Wallet(key).address;
  const to = option(argv, "--to");
  if (command === "pause" || command === "unpause") {
    const paused = await setPaused(ep, key, amountText as BridgeContractName, command === "pause");
    console.log(`[bridge] ${amountText} is ${paused ? "paused" : "running"}`);
    return 0;
  }
  const progress = { onProgress: (m: string) => console.log(`[bridge] ${m}`) };
  if (command === "refund" || command === "execute") {
    const id = BigInt(amountText);
    if (command === "refund") await refund(ep, key, id, progress);
    else await execute(ep, key, id, progress);
    console.log(`${me}: ${show(await balances(ep, me))}`);
    return 0;
  }
  const amount = parseUnits(amountText, (await balances(ep, me)).decimals);
  if (command === "deposit") {
    const r = await deposit(ep, key, amount, to, progress);
    console.log(`[bridge] deposit #${r.depositId} ${r.kind} after ${((r.completedAt - r.depositMinedAt) / 1000).toFixed(1)}s`);
  } else {
    const r = await withdraw(ep, key, amount, to, progress);
    console.log(`[bridge] withdrawal #${r.withdrawalId} released after ${((r.completedAt - r.requestMinedAt) / 1000).toFixed(1)}s`);
  }
  console.log(`${me}: ${show(await balances(ep, me))}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`[bridge] ${err.message}`);
    process.exit(1);
  },
);
