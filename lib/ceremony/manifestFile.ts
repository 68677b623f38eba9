// The consortium manifest's format (lib/ceremony/manifest.ts reads and verifies it; the assembly writes its first
// version, the consortium stack adds the bridge).
import { Contribution } from "./contribution";
import { Ceremony } from "./params";

export const MANIFEST_VERSION = 1;
export const MANIFEST_FILE = "manifest.json";

export interface Manifest {
  version: typeof MANIFEST_VERSION;
  ceremony: Ceremony;
  contributions: Contribution[];
  /** sha256 of the chain file the assembly rendered, hex: what every member compares out of band. */
  genesisSha256: string;
  /**
   * The consortium's bridge settings with its deployed contracts (`contracts`), added by the consortium stack; never
   * an endpoint (those may carry API keys: each stack has its own).
   */
  bridge?: Record<string, unknown>;
  /** PoCo as the consortium stack deployed it, `{ chainName, deployed }`: members register their worker pools there. */
  poco?: Record<string, unknown>;
  /** Authorities admitted after genesis, each round a ceremony of its own that extends this one (`joins`). */
  joins?: JoinRound[];
  /** Authorities that left: the others vote them out, and their nodes stop. */
  retired?: string[];
}

/** A joining round: its ceremony (`parameters.joins` is the genesis ceremony's hash) and its members' contributions. */
export interface JoinRound {
  ceremony: Ceremony;
  contributions: Contribution[];
}

/** The manifest of a fresh assembly: the ceremony, the contributions it verified and the genesis digest. */
export function manifestOf(ceremony: Ceremony, contributions: Contribution[], genesisSha256: string): Manifest {
  return { version: MANIFEST_VERSION, ceremony, contributions, genesisSha256 };
}
