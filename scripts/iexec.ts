// `npm run iexec -- [-s <stack>] <iexec args>`: the pinned iexec SDK CLI (9.0.0) against the stack's PoCo, with the
// stack's chain.json. In the dev stack it also signs as the dev account: its keystore (random password, both 0600)
// is written to the stack's work dir. Elsewhere pass your own wallet (--wallet-file/--keystoredir/--password).
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { encryptKeystore } from "../lib/keygen";
import { defaultWorkDir } from "../lib/project";
import { stackArg } from "../lib/cli/args";
import { DEV_STACK } from "../lib/cli/env";
import { readStackOutputs } from "../lib/cli/outputsCache";
import { REPO_ROOT } from "../lib/toolchain/resolve";

const IEXEC = join(REPO_ROOT, "node_modules", ".bin", "iexec");

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const name = stackArg(argv) ?? DEV_STACK;
  const args = argv.filter((a, i) => !["-s", "--stack"].includes(a) && !["-s", "--stack"].includes(argv[i - 1]));
  // The dev account's key is a secret output: the engine is asked (the cache holds no secret).
  const outputs = await readStackOutputs(name, { secrets: true });
  const chainJson = outputs.chainJson?.value as string | undefined;
  if (!chainJson) throw new Error(`stack ${name} has no PoCo: configure consortium:poco and run pulumi up (npm start for the dev stack)`);
  // The work dir output is relative to the project folder (the repository root) unless configured absolute.
  const dir = resolve(REPO_ROOT, (outputs.workDir?.value as string | undefined) ?? defaultWorkDir(name), "iexec");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, "chain.json"), chainJson);
  const chain = (JSON.parse(chainJson) as { default: string }).default;

  const wallet: string[] = [];
  const dev = outputs.devAccount?.value as { privateKey?: string } | undefined;
  if (dev?.privateKey && !args.some((a) => a === "--wallet-file" || a === "--wallet-address")) {
    const password = randomBytes(32).toString("base64url");
    await mkdir(join(dir, "keys"), { recursive: true, mode: 0o700 });
    const keystore = join(dir, "keys", "dev-account.json");
    await writeFile(keystore, JSON.stringify(await encryptKeystore(dev.privateKey, password, { scrypt: { n: 2 ** 14, r: 8, p: 1 } })), { mode: 0o600 });
    await chmod(keystore, 0o600);
    wallet.push("--keystoredir", join(dir, "keys"), "--wallet-file", "dev-account.json", "--password", password);
  }
  // --quiet: no update check against the npm registry on every call.
  const r = await execa(IEXEC, [...args, "--chain", chain, "--quiet", ...wallet], { cwd: dir, stdio: "inherit", reject: false });
  return r.exitCode ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`[iexec] ${err.message}`);
    process.exit(1);
  },
);
