// The geth a Pulumi program runs local nodes with. A module of its own: the toolchain's resolution (./resolve) spawns
// processes and loads execa — an ES module whose graph costs ~0.25 s of CPU to load into a CommonJS process —, which
// the program needs only when run without the project's environment (plain `pulumi`, no CONSORTIUM_GETH).
export async function installedGeth(): Promise<string> {
  if (process.env.CONSORTIUM_GETH) return process.env.CONSORTIUM_GETH;
  return (await import("./resolve.js")).resolveGeth(() => {}, false);
}
