// Validator changes after genesis, per engine: Clique signers are voted in and out by this stack's own signers
// (consortium:validators:SignerSet, over each signer's IPC socket), AuRa's chainspec carries the validator list per block, QBFT's votes are
// rendered for the operator (Besu only runs on targets whose validator RPC the deployer does not reach).
import * as pulumi from "@pulumi/pulumi";
import { SignerSet } from "../components/validators/SignerSet";
import { auraValidatorSchedule, withAuraValidatorSchedule } from "../render/validators/aura";
import { renderVotes } from "../render/validators/votes";
import { ChainFile } from "../render/runSpec";
import { ConsortiumSpec } from "../settings/consortium";
import { DeclaredFleet } from "./fleet";

/** Sealer address per authority name (signer key, or node-key address for QBFT). */
export type Addresses = Map<string, pulumi.Input<string>>;

const hasChanges = (spec: ConsortiumSpec) => spec.authorities.some((a) => a.joinedAfterGenesis || a.retired);

/** The genesis sealers (never changed by later joins or retirements, so the genesis hash stays) and the desired set. */
export function validatorSets(spec: ConsortiumSpec, addressOf: Addresses) {
  const of = (keep: (a: ConsortiumSpec["authorities"][number]) => boolean) => spec.authorities.filter(keep).map((a) => addressOf.get(a.name)!);
  return { genesis: of((a) => !a.joinedAfterGenesis), desired: of((a) => !a.retired) };
}

/** AuRa: the chain file with the validator list per transition block; other engines' chain files are unchanged. */
export function withValidatorSchedule(spec: ConsortiumSpec, chain: pulumi.Output<ChainFile>, addressOf: Addresses): pulumi.Output<ChainFile> {
  if (spec.engine !== "aura" || !hasChanges(spec)) return chain;
  const addresses = pulumi.all(spec.authorities.map((a) => addressOf.get(a.name)!));
  return pulumi.all([chain, addresses]).apply(([file, list]) =>
    withAuraValidatorSchedule(
      file,
      auraValidatorSchedule(
        spec.authorities.map((a, i) => ({
          address: list[i],
          ...(a.joinedAtBlock !== undefined ? { joinedAtBlock: a.joinedAtBlock } : {}),
          ...(a.retiredAtBlock !== undefined ? { retiredAtBlock: a.retiredAtBlock } : {}),
        })),
      ),
    ),
  );
}

interface FleetNodeOutput {
  name: string;
  signer?: string;
  /** A local authority's IPC socket: the only way to reach its vote API (it serves no HTTP). */
  ipcPath?: string;
}

/**
 * Declares the change of the running chain's validators, after the fleet (new members' nodes are up first; retired
 * members' nodes, no longer declared, are deleted by the engine after this update). Returns extra stack outputs.
 */
export function declareValidatorChanges(spec: ConsortiumSpec, addressOf: Addresses, fleet: DeclaredFleet): Record<string, unknown> {
  if (!hasChanges(spec)) return {};
  const { genesis, desired } = validatorSets(spec, addressOf);
  switch (spec.engine) {
    case "clique": {
      // Each signer votes on its own node, over its IPC socket (settings/parse.ts allows Clique changes on the local target only).
      const nodes = fleet.nodes.apply((ns) =>
        (ns as FleetNodeOutput[]).filter((n) => n.signer).map((n) => {
          if (!n.ipcPath) throw new Error(`validator votes: signer node ${n.name} has no IPC socket this machine reaches`);
          return { name: n.name, address: n.signer!, endpoint: n.ipcPath };
        }),
      );
      // A change takes a few rounds of every signer's turn; the bound scales with the period and the signer count.
      const timeoutSeconds = Math.max(120, 30 * spec.blockPeriodSeconds * spec.authorities.length);
      const set = new SignerSet("validators", { engine: "clique", nodes, desired, timeoutSeconds });
      return { liveSigners: set.signers };
    }
    case "qbft":
      // The requests each genesis validator sends to its own node's loopback RPC (QBFT API enabled there: besu.ts).
      return { validatorVotes: pulumi.all([pulumi.all(genesis), pulumi.all(desired)]).apply(([g, d]) => renderVotes("qbft", g, d).requests) };
    case "aura":
      return {};
  }
}
