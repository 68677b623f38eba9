// The geth a Pulumi program runs local nodes with. A module of its own: the toolchain's resolution (./resolve) spawns
// processes and loads execa — an ES module, compiled on every start of a CommonJS process: with the toolchain's build
// modules ~0.5 of the language host's 2 CPU-s —, which the program needs only when run without the project's
// environment (plain `pulumi`, no CONSORTIUM_GETH).
export async function installedGeth(): Promise<string> {
  if (process.env.CONSORTIUM_GETH) return process.env.CONSORTIUM_GETH;
  return (await import("./resolve.js")).resolveGeth(() => {}, false);
}
