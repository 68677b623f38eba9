// The PoCo dynamic providers as the engine runs them (compiled, from dist/) against a real chain: the deployment
// creates every contract and the setup, each contract's resource adopts its address, nothing to do on an unchanged
// diff, and `read` sees out-of-band changes — a facet removed through diamondCut, the owner changed, a contract's code
// gone — which `update` repairs when the deployer still owns the Diamond, or a replacement redeploys.
// The deployer key never appears in what the providers return.
import { Contract, Wallet, ZeroAddress } from "ethers";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIAMOND_ABI } from "../../lib/poco/abi";
import { CONTRACTS, ContractName, selectorsOf } from "../../lib/poco/plan";
import type { ContractState, DeploymentInputs, DeploymentState } from "../../lib/poco/resources";
import { startOnDemandChain, TestChain } from "../../testkit/chains";
import { deployDevRlc } from "../../testkit/poco/devToken";
import { defaultPocoSettings as settings } from "../../render/poco/defaults";

const dist = (...p: string[]) => join(__dirname, "..", "..", "dist", ...p);
const { contractProvider, deploymentProvider } = require(dist("components", "poco", "providers.js"));
const REMOVE = 2;

describe("PoCo providers (compiled, real chain)", () => {
  let chain: TestChain;
  let deployer: Wallet;
  let inputs: DeploymentInputs;
  let state: DeploymentState;
  const contracts = {} as Record<ContractName, ContractState>;

  beforeAll(async () => {
    chain = await startOnDemandChain(31_337_103);
    deployer = await chain.fundedWallet(100n);
    const token = await (await deployDevRlc(deployer)).getAddress();
    const { chainId: _, ...s } = settings(chain.chainId, token, deployer.address);
    inputs = { rpcUrl: chain.rpcUrl, chainId: chain.chainId, deployerKey: deployer.privateKey, ...s };
    state = (await deploymentProvider.create(inputs)).outs;
    for (const contract of CONTRACTS) {
      contracts[contract] = (await contractProvider.create({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, contract, address: state.contracts[contract] })).outs;
    }
  }, 300_000);
  afterAll(async () => chain?.stop());

  it("deploys PoCo with no problems left, each contract adopted with its code, and an unchanged diff is empty", async () => {
    expect(state.problems).toEqual([]);
    expect(state.missing).toEqual([]);
    expect(state.observed.owner).toBe(deployer.address);
    expect(new Set(Object.values(state.contracts)).size).toBe(CONTRACTS.length);
    const everything = JSON.stringify({ contracts, state });
    expect(everything).not.toContain(deployer.privateKey.slice(2));
    expect(everything).not.toContain("deployerKey");
    expect((await deploymentProvider.diff(state.contracts.Diamond, state, inputs)).changes).toBe(false);
    const facet = contracts.IexecPoco1Facet;
    expect(facet.codeHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect((await contractProvider.read(facet.address, facet)).props).toEqual(facet);
    expect((await contractProvider.diff(facet.address, facet, { ...facet })).changes).toBe(false);
  });

  it("reads a facet removed out of band, and update puts it back", async () => {
    const diamond = new Contract(state.contracts.Diamond, DIAMOND_ABI, deployer);
    await (await diamond.diamondCut([[ZeroAddress, REMOVE, selectorsOf("IexecPoco2Facet")]], ZeroAddress, "0x")).wait();
    const drifted: DeploymentState = (await deploymentProvider.read(state.contracts.Diamond, state)).props;
    expect(drifted.problems.join("\n")).toMatch(/selectors of IexecPoco2Facet .* are not routed to it/);
    expect(drifted.observed.facets[state.contracts.IexecPoco2Facet]).toBeUndefined();
    const diff = await deploymentProvider.diff(state.contracts.Diamond, drifted, inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const repaired: DeploymentState = (await deploymentProvider.update(state.contracts.Diamond, drifted, inputs)).outs;
    expect(repaired.problems).toEqual([]);
    expect(repaired.contracts).toEqual(state.contracts);
    expect(repaired.observed).toEqual(state.observed);
  }, 120_000);

  it("reads an owner changed out of band; update refuses to act for another owner", async () => {
    const other = Wallet.createRandom().address;
    const diamond = new Contract(state.contracts.Diamond, DIAMOND_ABI, deployer);
    await (await diamond.transferOwnership(other)).wait();
    const drifted: DeploymentState = (await deploymentProvider.read(state.contracts.Diamond, state)).props;
    expect(drifted.observed.owner).toBe(other);
    expect(drifted.problems).toEqual([`Diamond: owner is ${other}, wanted ${deployer.address}`]);
    await expect(deploymentProvider.update(state.contracts.Diamond, drifted, inputs)).rejects.toThrow(/needs its owner .* to act/);
  }, 120_000);

  it("reads a contract whose address holds no code as gone: the contract is replaced, and so is the deployment", async () => {
    const gone = { ...contracts.IexecRelayFacet, address: Wallet.createRandom().address };
    const read: ContractState = (await contractProvider.read(gone.address, gone)).props;
    expect(read.codeHash).toBe("");
    expect((await contractProvider.diff(gone.address, read, { ...gone })).replaces).toEqual(["codeHash"]);
    await expect(contractProvider.create({ ...gone })).rejects.toThrow(/IexecRelayFacet has no code at/);

    const withGone = { ...state, contracts: { ...state.contracts, IexecRelayFacet: gone.address } };
    const drifted: DeploymentState = (await deploymentProvider.read(withGone.contracts.Diamond, withGone)).props;
    expect(drifted.missing).toEqual(["IexecRelayFacet"]);
    expect(drifted.problems).toContain(`IexecRelayFacet: no code at ${gone.address}`);
    expect((await deploymentProvider.diff(drifted.contracts.Diamond, drifted, inputs)).replaces).toEqual(["contracts"]);
  });
});
