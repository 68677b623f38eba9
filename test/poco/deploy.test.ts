// PoCo from the npm artifacts onto a real London Clique chain (geth 1.13.15), outside Pulumi: a full deployment
// converges to the target; an interrupted one resumes where it stopped; a re-run does nothing.
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployPoco } from "../../testkit/poco/deploy";
import { observePoco } from "../../lib/poco/observe";
import { CONTRACTS, ContractName, FACETS } from "../../lib/poco/plan";
import { pocoProblems } from "../../lib/poco/steps";
import { settledNonce } from "../../lib/eth/transactions";
import { pocoTarget } from "../../lib/poco/target";
import { startOnDemandChain, TestChain } from "../../testkit/chains";
import { deployDevRlc } from "../../testkit/poco/devToken";
import { defaultPocoSettings as settings } from "../../render/poco/defaults";
import { FailingWallet } from "./fixtures";

describe("PoCo deployment (real chain)", () => {
  let chain: TestChain;
  let token: string;
  beforeAll(async () => {
    chain = await startOnDemandChain(31_337_101);
    token = await (await deployDevRlc(await chain.fundedWallet())).getAddress();
  });
  afterAll(async () => chain?.stop());

  it("resumes an interrupted deployment, skipping what is on chain, and a re-run changes nothing", async () => {
    const deployer = await chain.fundedWallet(100n);
    const admin = Wallet.createRandom().address;
    const s = settings(chain.chainId, token, admin);
    // What a stack's state would hold: each contract's address from the moment its creation returned.
    const state: Partial<Record<ContractName, string>> = {};

    const interrupted = new FailingWallet(deployer.privateKey, deployer.provider, 10);
    await expect(deployPoco(interrupted, s, state)).rejects.toThrow("injected failure");
    expect(Object.keys(state)).toHaveLength(10);
    const second = new FailingWallet(deployer.privateKey, deployer.provider, CONTRACTS.length - 10 + 4);
    await expect(deployPoco(second, s, state)).rejects.toThrow("injected failure");
    expect(Object.keys(state).sort()).toEqual([...CONTRACTS].sort());
    const created = { ...state };
    // Every creation the interrupted runs sent is the one recorded: nothing was created twice.
    expect(await settledNonce(deployer.provider!, deployer.address)).toBe(CONTRACTS.length + 4);

    const resumed = await deployPoco(deployer, s, state);
    expect(resumed.deployed).toEqual([]);
    expect(resumed.ran).not.toContain("cut DiamondCutFacet");
    expect(resumed.ran).not.toContain(`cut ${FACETS[0]}`);
    expect(resumed.ran).toContain("hand Diamond to the admin");
    expect(resumed.contracts).toEqual(created);

    const target = pocoTarget(resumed.contracts, s);
    const obs = await observePoco(chain.provider(), target);
    expect(pocoProblems(target, obs)).toEqual([]);
    expect(obs.owner).toBe(admin);
    expect(obs.categories.map((c) => c.name)).toEqual(["XS", "S", "M", "L", "XL"]);
    expect(obs.decimals).toBe(9);
    expect(Object.values(obs.facets).flat()).toHaveLength(93 + 2 + 8); // PoCo + receive/fallback + diamond base

    // The admin is someone else now: nothing left to do means no transaction at all.
    const again = await deployPoco(new FailingWallet(deployer.privateKey, deployer.provider, 0), s, resumed.contracts);
    expect(again).toMatchObject({ deployed: [], ran: [], gas: { contracts: 0n, setup: 0n } });
  }, 300_000);
});
