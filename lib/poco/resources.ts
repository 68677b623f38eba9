// What the PoCo dynamic providers do, on ethers (components/poco/*Provider.ts require this file at run time).
// Two kinds of resources: one per contract (created once; its state keeps the address the moment it exists, so an
// interrupted `pulumi up` resumes after it) and one for the setup of the Diamond (the step list, re-runnable).
// The deployer key comes in as a (secret) input and is never part of what these functions return.
import { ChainConnection, withProvider } from "../eth/provider";
import { withSenderLock } from "../eth/transactions";
import { codeHashAt, deployContract } from "./contracts";
import { observePoco, PocoObservation } from "./observe";
import { ContractName } from "./plan";
import { applyPocoSteps, pocoProblems } from "./steps";
import { PocoSettings, pocoTarget } from "./target";
import { SequencedWallet } from "../eth/sequencedWallet";

type Connection = ChainConnection;
interface Signing extends Connection {
  /** Private key of the deploying account; a Pulumi secret. */
  deployerKey: string;
}

export interface ContractInputs extends Signing {
  contract: ContractName;
  /** Addresses of the libraries and base facets its creation code needs. */
  dependencies: Record<string, string>;
}
export interface ContractState extends Connection {
  contract: ContractName;
  dependencies: Record<string, string>;
  address: string;
  /** keccak256 of the code at `address` ("" when there is none: refresh shows the contract gone). */
  codeHash: string;
}

export interface SetupInputs extends Signing, Omit<PocoSettings, "chainId"> {
  contracts: Record<ContractName, string>;
}
export interface SetupState extends Connection, Omit<PocoSettings, "chainId"> {
  contracts: Record<ContractName, string>;
  observed: PocoObservation;
  /** Differences between the chain and the wanted setup, as of the last create/update/read; empty when in step. */
  problems: string[];
}

export function createContract(inputs: ContractInputs): Promise<ContractState> {
  return withProvider(inputs, async (provider) => {
    const deployer = new SequencedWallet(inputs.deployerKey, provider);
    // The engine creates contracts without a dependency between them concurrently: the deployer numbers their
    // transactions, so they land in the same blocks.
    const { address, codeHash } = await deployContract(deployer, inputs.contract, inputs.dependencies);
    const { rpcUrl, chainId, contract, dependencies } = inputs;
    return { rpcUrl, chainId, contract, dependencies, address, codeHash };
  });
}

export function readContract(state: ContractState): Promise<ContractState> {
  return withProvider(state, async (provider) => ({ ...state, codeHash: await codeHashAt(provider, state.address) }));
}

/** A contract is replaced when what it is built from changes, or its code is gone (seen by a refresh). */
export function contractReplaces(olds: ContractState, news: ContractInputs): string[] {
  return [
    ...(olds.contract !== news.contract ? ["contract"] : []),
    ...(olds.chainId !== news.chainId ? ["chainId"] : []),
    ...(JSON.stringify(olds.dependencies) !== JSON.stringify(news.dependencies) ? ["dependencies"] : []),
    ...(!olds.codeHash ? ["codeHash"] : []),
  ];
}

function setupState(inputs: SetupInputs, observed: PocoObservation): SetupState {
  const { deployerKey: _secret, ...rest } = inputs;
  const target = pocoTarget(inputs.contracts, inputs);
  return { ...rest, observed, problems: pocoProblems(target, observed) };
}

export function applySetup(inputs: SetupInputs): Promise<SetupState> {
  return withProvider(inputs, async (provider) => {
    const deployer = new SequencedWallet(inputs.deployerKey, provider);
    const { observation } = await withSenderLock(inputs.chainId, deployer.address, () => applyPocoSteps(deployer, pocoTarget(inputs.contracts, inputs)));
    return setupState(inputs, observation);
  });
}

export function readSetup(state: SetupState): Promise<SetupState> {
  return withProvider(state, async (provider) => {
    const target = pocoTarget(state.contracts, state);
    const observed = await observePoco(provider, target);
    return { ...state, observed, problems: pocoProblems(target, observed) };
  });
}

/** Settings whose change means work on chain (the RPC URL and the key may change freely). */
const SETUP_KEYS = ["chainId", "contracts", "token", "admin", "categories", "stakedName", "stakedSymbol", "registryBaseUris"] as const;

export function setupChanges(olds: SetupState, news: SetupInputs): string[] {
  const changed: string[] = SETUP_KEYS.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
  return olds.problems.length ? [...changed, "problems"] : changed;
}
