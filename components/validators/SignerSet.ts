import * as pulumi from "@pulumi/pulumi";
import type { SignerNode, SignerSetInputs } from "../../lib/validators/signerSet";
import type { VotingEngine } from "../../render/validators/votes";
import { signerVotesProviderRef } from "./signerVotesProvider";
import { ProjectResource } from "../projectResource";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** The votes that make a running chain's signer set the desired one (see SignerSet). */
class SignerVotes extends ProjectResource {
  declare readonly signers: pulumi.Output<string[]>;
  constructor(name: string, args: Inputs<SignerSetInputs>, opts?: pulumi.CustomResourceOptions) {
    super(signerVotesProviderRef, name, { ...args, signers: undefined }, opts, "validators", "SignerVotes");
  }
}

export interface SignerSetArgs {
  /** Voting engine: `clique` (geth `clique` API) or `qbft` (Besu `QBFT` API). */
  engine: VotingEngine;
  /** Signer nodes this stack runs, each with its own loopback RPC URL exposing the vote API. Retired ones excluded. */
  nodes: pulumi.Input<pulumi.Input<SignerNode>[]>;
  /** Addresses the chain must have as signers: the authorities that are not retired. */
  desired: pulumi.Input<pulumi.Input<string>[]>;
  /** Bound on one change, seconds (default 300). */
  timeoutSeconds?: pulumi.Input<number>;
}

/**
 * The validator set of a running Clique (or QBFT) chain, changed through the engine's own votes: every signer of
 * this stack that stays proposes each addition and removal on its own node until the live set is `desired`.
 * Declare it after the fleet: new members' nodes run (and sync) before they are voted in, and retired members'
 * nodes, gone from the program, are deleted by the engine only after this update, i.e. after they are voted out.
 */
export class SignerSet extends pulumi.ComponentResource {
  /** The live signer set after the change (refresh reads it from the chain). */
  readonly signers: pulumi.Output<string[]>;

  constructor(name: string, args: SignerSetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("consortium:validators:SignerSet", name, {}, opts);
    if (!["clique", "qbft"].includes(args.engine)) throw new pulumi.ResourceError(`SignerSet ${name}: engine ${args.engine} does not vote its validators`, this);
    if (Array.isArray(args.desired) && args.desired.length === 0) throw new pulumi.ResourceError(`SignerSet ${name}: the desired signer set is empty`, this);
    const votes = new SignerVotes(
      name,
      {
        engine: args.engine,
        nodes: args.nodes as pulumi.Input<SignerNode[]>,
        desired: pulumi.output(args.desired).apply((d) => [...d]),
        timeoutSeconds: args.timeoutSeconds ?? 300,
      },
      { parent: this },
    );
    this.signers = votes.signers;
    this.registerOutputs({ signers: this.signers });
  }
}
