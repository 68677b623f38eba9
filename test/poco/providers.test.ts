// The PoCo dynamic providers as the engine runs them (compiled, from dist/) against a real chain: create every
// contract and the setup, nothing to do on an unchanged diff, and `read` sees out-of-band changes — a facet
// removed through diamondCut, the owner changed — which `update` repairs when the deployer still owns the Diamond.
// The deployer key never appears in what the providers return.
import { Contract, Wallet, ZeroAddress } from "ethers";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIAMOND_ABI } from "../../lib/poco/abi";
import { CONTRACTS, ContractName, dependenciesOf, selectorsOf } from "../../lib/poco/plan";
import type { ContractState, SetupInputs, SetupState } from "../../lib/poco/resources";
import { startOnDemandChain, TestChain } from "../../testkit/chains";
import { deployDevRlc } from "../../testkit/poco/devToken";
import { contractLevels } from "../../testkit/poco/deploy";
import { defaultPocoSettings as settings } from "../../render/poco/defaults";

const dist = (...p: string[]) => join(__dirname, "..", "..", "dist", ...p);
const { contractProvider, setupProvider } = require(dist("components", "poco", "providers.js"));
const REMOVE = 2;

describe("PoCo providers (compiled, real chain)", () => {
  let chain: TestChain;
  let deployer: Wallet;
  let inputs: SetupInputs;
  let state: SetupState;
  const contracts = {} as Record<ContractName, ContractState>;

  beforeAll(async () => {
    chain = await startOnDemandChain(31_337_103);
    deployer = await chain.fundedWallet(100n);
    const token = await (await deployDevRlc(deployer)).getAddress();
    const conn = { rpcUrl: chain.rpcUrl, chainId: chain.chainId, deployerKey: deployer.privateKey };
    // As the engine creates them: every contract whose dependencies exist, at once.
    for (const level of contractLevels()) {
      await Promise.all(
        level.map(async (contract) => {
          const dependencies = Object.fromEntries(dependenciesOf(contract).map((d) => [d, contracts[d].address]));
          contracts[contract] = (await contractProvider.create({ ...conn, contract, dependencies })).outs;
        }),
      );
    }
    const { chainId: _, ...s } = settings(chain.chainId, token, deployer.address);
    inputs = { ...conn, ...s, contracts: Object.fromEntries(CONTRACTS.map((c) => [c, contracts[c].address])) as Record<ContractName, string> };
    state = (await setupProvider.create(inputs)).outs;
  }, 300_000);
  afterAll(async () => chain?.stop());

  it("creates PoCo with no problems left, and an unchanged diff is empty", async () => {
    expect(state.problems).toEqual([]);
    expect(state.observed.owner).toBe(deployer.address);
    const everything = JSON.stringify({ contracts, state });
    expect(everything).not.toContain(deployer.privateKey.slice(2));
    expect(everything).not.toContain("deployerKey");
    expect((await setupProvider.diff(state.contracts.Diamond, state, inputs)).changes).toBe(false);
    const facet = contracts.IexecPoco1Facet;
    expect((await contractProvider.read(facet.address, facet)).props).toEqual(facet);
    expect((await contractProvider.diff(facet.address, facet, { ...inputs, contract: facet.contract, dependencies: facet.dependencies })).changes).toBe(false);
  });

  it("reads a facet removed out of band, and update puts it back", async () => {
    const diamond = new Contract(state.contracts.Diamond, DIAMOND_ABI, deployer);
    await (await diamond.diamondCut([[ZeroAddress, REMOVE, selectorsOf("IexecPoco2Facet")]], ZeroAddress, "0x")).wait();
    const drifted: SetupState = (await setupProvider.read(state.contracts.Diamond, state)).props;
    expect(drifted.problems.join("\n")).toMatch(/selectors of IexecPoco2Facet .* are not routed to it/);
    expect(drifted.observed.facets[state.contracts.IexecPoco2Facet]).toBeUndefined();
    expect((await setupProvider.diff(state.contracts.Diamond, drifted, inputs)).changes).toBe(true);
    const repaired: SetupState = (await setupProvider.update(state.contracts.Diamond, drifted, inputs)).outs;
    expect(repaired.problems).toEqual([]);
    expect(repaired.observed).toEqual(state.observed);
  }, 120_000);

  it("reads an owner changed out of band; update refuses to act for another owner", async () => {
    const other = Wallet.createRandom().address;
    const diamond = new Contract(state.contracts.Diamond, DIAMOND_ABI, deployer);
    await (await diamond.transferOwnership(other)).wait();
    const drifted: SetupState = (await setupProvider.read(state.contracts.Diamond, state)).props;
    expect(drifted.observed.owner).toBe(other);
    expect(drifted.problems).toEqual([`Diamond: owner is ${other}, wanted ${deployer.address}`]);
    await expect(setupProvider.update(state.contracts.Diamond, drifted, inputs)).rejects.toThrow(/needs its owner .* to act/);
  }, 120_000);

  it("reads a contract whose address holds no code as gone, which replaces it", async () => {
    const gone = { ...contracts.IexecRelayFacet, address: Wallet.createRandom().address };
    const read: ContractState = (await contractProvider.read(gone.address, gone)).props;
    expect(read.codeHash).toBe("");
    const diff = await contractProvider.diff(gone.address, read, { ...inputs, contract: gone.contract, dependencies: gone.dependencies });
    expect(diff.replaces).toEqual(["codeHash"]);
  });
});
