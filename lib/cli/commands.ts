// The commands of `consortium` (bin/consortium.mjs; `npm run <command> -- <args>` runs the same), with their help.
// One table, so `consortium --help`, `consortium <command> --help` and the commands' own usage errors say the same.

export interface Command {
  /** Compiled module that runs it, under dist/: it reads its arguments from process.argv.slice(2). */
  module: string;
  summary: string;
  usage: string;
  /** Its arguments (--help included) go to another tool (pulumi, iexec), which prints its own help. */
  passthrough?: boolean;
}

export const COMMANDS: Record<string, Command> = {
  start: {
    module: "scripts/start.js",
    summary: "bring the embedded default, a local dev consortium, up (or up to date) and say how to reach it",
    usage: "consortium start",
  },
  down: {
    module: "scripts/down.js",
    summary: "tear a stack down; keys are kept unless --purge",
    usage: "consortium down [-s <stack>] [--purge [--yes]]",
  },
  adopt: {
    module: "scripts/adopt.js",
    summary: "move a stack of the per-folder layout into the root project, keys and contracts kept",
    usage: "consortium adopt -s <stack>",
  },
  pulumi: {
    module: "scripts/pulumi.js",
    summary: "the pinned Pulumi CLI with the project's environment (backend, passphrase of dev stacks)",
    usage: "consortium pulumi <pulumi arguments>          e.g. consortium pulumi preview -s dev",
    passthrough: true,
  },
  bridge: {
    module: "scripts/bridge.js",
    summary: "move tokens across the stack's bridge and wait for the other side; pause or unpause a bridge contract",
    usage: [
      "consortium bridge [-s <stack>] [--key-env <VAR>] <command>",
      "  deposit <amount> [--to <address>]    lock on foreign, wait for the mint on home (or take a non-whitelisted deposit back)",
      "  withdraw <amount> [--to <address>]   burn on home, wait for the validators' signatures, release on foreign",
      "  balance                              the key's token balances on both chains",
      "  refund <depositId>                   take back a non-whitelisted deposit (minus the fee)",
      "  execute <withdrawalId>               release a signed withdrawal on foreign",
      "  pause|unpause <vault|gateway>        the pauser's emergency switch (pulumi up never changes it)",
    ].join("\n"),
  },
  iexec: {
    module: "scripts/iexec.js",
    summary: "the pinned iexec SDK CLI against the stack's PoCo (the dev account signs in the dev stack)",
    usage: "consortium iexec [-s <stack>] <iexec arguments>   e.g. consortium iexec wallet show",
    passthrough: true,
  },
  ceremony: {
    module: "scripts/ceremony.js",
    summary: "the key ceremony: members make their own keys, only public parts travel",
    usage: [
      "consortium ceremony init --config <consortium.yaml> --out ceremony.json",
      "consortium ceremony contribute --ceremony ceremony.json --authority <name> --endpoint host:port --out <member dir> [--scrypt-n N]",
      "consortium ceremony assemble --ceremony ceremony.json --contributions <dir> --out <dir>",
      "consortium ceremony verify --ceremony ceremony.json --contributions <dir> --assembled <dir> [--member-dir <dir>]",
      "consortium ceremony join --manifest manifest.json --authorities <name>:<member>[,…] --out join.json",
      "consortium ceremony admit --manifest manifest.json --join join.json --contributions <dir> --out <new manifest.json>",
      "consortium ceremony retire --manifest manifest.json --authorities <name>[,…] --out <new manifest.json>",
    ].join("\n"),
  },
  drift: {
    module: "scripts/drift.js",
    summary: "fail (exit 1) when code, state and the world disagree; changes nothing",
    usage: "consortium drift [-s <stack>] [--json]",
  },
  prometheus: {
    module: "scripts/prometheus.js",
    summary: "the stack's Prometheus configuration and alert rules (its monitor and bridge agents as targets)",
    usage: "consortium prometheus [-s <stack>] --out <dir>",
  },
  export: {
    module: "scripts/export.js",
    summary: "the stack's fleet as a docker-compose folder or Kubernetes manifests",
    usage: "consortium export [-s <stack>] --format compose|k8s --out <dir>",
  },
  tools: {
    module: "scripts/tools.js",
    summary: "find or build the pinned toolchain (pulumi, geth; --kubernetes: the Kubernetes provider plugin and test cluster)",
    usage: "consortium tools [--kubernetes]",
  },
  contracts: {
    module: "scripts/contracts/build.js",
    summary: "rebuild the bridge contracts (or --check that the committed build is reproducible)",
    usage: "consortium contracts [--check]",
  },
};

/** `consortium --help`. */
export function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    "usage: consortium <command> [arguments]      (or: npm run <command> -- [arguments])",
    "",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "consortium <command> --help shows a command's arguments (pulumi and iexec: the tool's own help; consortium help <command>: ours).",
  ].join("\n");
}

/** `consortium <command> --help`. */
export const commandHelp = (name: string): string => `${COMMANDS[name].summary}\n\nusage:\n${COMMANDS[name].usage.replace(/^/gm, "  ")}`;
