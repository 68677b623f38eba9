// What the PoCo dynamic providers do, on ethers (components/poco/providers.ts requires this file at run time).
// Two kinds of resources: the deployment (every contract and the whole setup, lib/poco/deployment.ts; re-runnable:
// an update or a repair runs the setup steps again), and one per contract, which holds nothing but its address and
// the fingerprint of its code, so that a refresh shows each contract as it is on chain.
// The deployer key comes in as a (secret) input and is never part of what these functions return.
import { ChainConnection, withProvider } from "../eth/provider";
import { SequencedWallet } from "../eth/sequencedWallet";
import { withSenderLock } from "../eth/transactions";
import { codeHashAt } from "./contracts";
import { deployPocoStack } from "./deployment";
import { observePoco, PocoObservation } from "./observe";
import { CONTRACTS, ContractName } from "./plan";
import { applyPocoSteps, pocoProblems } from "./steps";
import { PocoSettings, pocoTarget } from "./target";

type Connection = ChainConnection;

export interface ContractInputs extends Connection {
  contract: ContractName;
  /** Where the deployment created it. */
  address: string;
}
export interface ContractState extends ContractInputs {
  /** keccak256 of the code at `address` ("" when there is none: refresh shows the contract gone). */
  codeHash: string;
}

export interface DeploymentInputs extends Connection, Omit<PocoSettings, "chainId"> {
  /** Private key of the deploying account; a Pulumi secret. */
  deployerKey: string;
}
export interface DeploymentState extends Connection, Omit<PocoSettings, "chainId"> {
  contracts: Record<ContractName, string>;
  /** Contracts with no code at their address as of the last create/read (a chain reset under the stack). */
  missing?: ContractName[];
  observed: PocoObservation;
  /** Differences between the chain and the wanted setup, as of the last create/update/read; empty when in step. */
  problems: string[];
}

export function adoptContract(inputs: ContractInputs): Promise<ContractState> {
  return withProvider(inputs, async (provider) => {
    const codeHash = await codeHashAt(provider, inputs.address);
    if (!codeHash) throw new Error(`PoCo's ${inputs.contract} has no code at ${inputs.address}: the deployment must create it again (refresh, then up)`);
    const { rpcUrl, chainId, contract, address } = inputs;
    return { rpcUrl, chainId, contract, address, codeHash };
  });
}

export function readContract(state: ContractState): Promise<ContractState> {
  return withProvider(state, async (provider) => ({ ...state, codeHash: await codeHashAt(provider, state.address) }));
}

/** A contract is replaced when the deployment puts it elsewhere, or its code is gone (seen by a refresh). */
export function contractReplaces(olds: ContractState, news: ContractInputs): string[] {
  return [
    ...(olds.contract !== news.contract ? ["contract"] : []),
    ...(olds.chainId !== news.chainId ? ["chainId"] : []),
    ...(olds.address.toLowerCase() !== news.address.toLowerCase() ? ["address"] : []),
    ...(!olds.codeHash ? ["codeHash"] : []),
  ];
}

function settingsOf(inputs: DeploymentInputs): PocoSettings {
  const { chainId, token, admin, categories, stakedName, stakedSymbol, registryBaseUris } = inputs;
  return { chainId, token, admin, categories, stakedName, stakedSymbol, registryBaseUris };
}

function deploymentState(inputs: DeploymentInputs, contracts: Record<ContractName, string>, observed: PocoObservation): DeploymentState {
  const { deployerKey: _secret, ...rest } = inputs;
  return { ...rest, contracts, missing: [], observed, problems: pocoProblems(pocoTarget(contracts, inputs), observed) };
}

export function createDeployment(inputs: DeploymentInputs): Promise<DeploymentState> {
  return withProvider(inputs, async (provider) => {
    const deployer = new SequencedWallet(inputs.deployerKey, provider);
    const { contracts, observation } = await deployPocoStack(deployer, inputs.rpcUrl, settingsOf(inputs));
    return deploymentState(inputs, contracts, observation);
  });
}

/** The setup steps again, with new settings or to repair drift; the contracts stay where they are. */
export function updateDeployment(olds: DeploymentState, news: DeploymentInputs): Promise<DeploymentState> {
  return withProvider(news, async (provider) => {
    const deployer = new SequencedWallet(news.deployerKey, provider);
    const target = pocoTarget(olds.contracts, news);
    const { observation } = await withSenderLock(news.chainId, deployer.address, () => applyPocoSteps(deployer, target));
    return deploymentState(news, olds.contracts, observation);
  });
}

export function readDeployment(state: DeploymentState): Promise<DeploymentState> {
  return withProvider(state, async (provider) => {
    const target = pocoTarget(state.contracts, state);
    const [observed, codes] = await Promise.all([observePoco(provider, target), Promise.all(CONTRACTS.map((c) => codeHashAt(provider, state.contracts[c])))]);
    const missing = CONTRACTS.filter((_, i) => !codes[i]);
    const problems = [...missing.map((c) => `${c}: no code at ${state.contracts[c]}`), ...pocoProblems(target, observed)];
    return { ...state, missing, observed, problems: [...new Set(problems)] };
  });
}

/** Settings whose change means work on chain (the RPC URL and the key may change freely). */
const SETUP_KEYS = ["token", "admin", "categories", "stakedName", "stakedSymbol", "registryBaseUris"] as const;

/** What a diff reports: a deployment on another chain, or with a contract gone, is made anew. */
export function deploymentChanges(olds: DeploymentState, news: DeploymentInputs): { changes: string[]; replaces: string[] } {
  const replaces = [...(olds.chainId !== news.chainId ? ["chainId"] : []), ...(olds.missing?.length ? ["contracts"] : [])];
  const changed: string[] = SETUP_KEYS.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
  return { changes: [...changed, ...replaces, ...(olds.problems.length ? ["problems"] : [])], replaces };
}
