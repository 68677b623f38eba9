// Pinned tool versions and the per-user cache they are built into (outside the repo, shared by checkouts).
import { homedir } from "node:os";
import { join } from "node:path";

/** Must equal the @pulumi/pulumi version in package.json (checked by ensureTools). */
export const PULUMI_VERSION = "3.259.0";
/** The last geth release that seals Clique. */
export const GETH_VERSION = "1.13.15";

export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "consortium-deployer");
}

export function toolsDir(): string {
  return join(cacheRoot(), "tools");
}

/** `<cache>/tools/pulumi-v<version>/bin`: the layout Automation API's PulumiCommand.get({ root }) expects. */
export function pulumiRoot(): string {
  return join(toolsDir(), `pulumi-v${PULUMI_VERSION}`);
}

export function gethDir(): string {
  return join(toolsDir(), `geth-v${GETH_VERSION}`);
}
