/** One rejected field: where it is, what is wrong, and how to fix it. */
export interface SpecIssue {
  /** Config path, e.g. `authorities[1].external.address`. */
  field: string;
  problem: string;
  fix: string;
}

/** Thrown by `parseConsortiumSpec` with every issue found, so an operator fixes them all in one round. */
export class SpecError extends Error {
  constructor(
    readonly issues: SpecIssue[],
    readonly namespace = "consortium",
  ) {
    super(
      `invalid consortium configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((i) => `  - ${namespace}:${i.field}: ${i.problem}. Fix: ${i.fix}.`).join("\n"),
    );
    this.name = "SpecError";
  }
}
