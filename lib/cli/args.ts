// Small argv helpers shared by the npm scripts (`-s <stack>`, flags).

/** The value of `-s <stack>`, `--stack <stack>` or `--stack=<stack>`, if any. */
export function stackArg(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-s" || a === "--stack") return argv[i + 1];
    if (a.startsWith("--stack=")) return a.slice("--stack=".length);
  }
  return undefined;
}

export function hasFlag(argv: readonly string[], ...names: string[]): boolean {
  return argv.some((a) => names.includes(a));
}
