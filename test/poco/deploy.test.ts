// PoCo from the npm artifacts onto a real London Clique chain (geth 1.13.15), outside Pulumi (lib/poco/deployment.ts):
// a deployment interrupted while its burst is half broadcast resumes where it stopped, creating nothing twice; a
// re-run does nothing.
import { getCreateAddress, keccak256, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployPoco } from "../../testkit/poco/deploy";
import { hasJournaled } from "../../lib/eth/creationJournal";
import { observePoco } from "../../lib/poco/observe";
import { CONTRACTS, FACETS } from "../../lib/poco/plan";
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

  it("resumes a deployment interrupted mid-burst, creating nothing twice, and a re-run changes nothing", async () => {
    const deployer = await chain.fundedWallet(100n);
    const admin = Wallet.createRandom().address;
    const s = settings(chain.chainId, token, admin);

    // The node gets the first 10 transactions of the burst (creations come first), then nothing.
    const interrupted = new FailingWallet(deployer.privateKey, deployer.provider, 10);
    await expect(deployPoco(interrupted, s)).rejects.toThrow("injected failure");
    expect(await hasJournaled(chain.chainId, deployer.address)).toBe(true);
    // The next run adopts those 10, sends the 12 other creations and 4 setup transactions, then is cut off.
    const second = new FailingWallet(deployer.privateKey, deployer.provider, CONTRACTS.length - 10 + 4);
    await expect(deployPoco(second, s)).rejects.toThrow("injected failure");
    expect(await settledNonce(deployer.provider!, deployer.address)).toBe(CONTRACTS.length + 4);

    const resumed = await deployPoco(deployer, s);
    expect(resumed.deployed).toEqual([]);
    expect(resumed.ran).not.toContain(`cut ${FACETS[0]}`);
    expect(resumed.ran).toContain(`cut ${FACETS[FACETS.length - 1]}`);
    expect(resumed.ran).toContain("hand Diamond to the admin");
    // Every contract is one the interrupted runs created, each once; nothing is left to adopt.
    const created = Array.from({ length: CONTRACTS.length }, (_, nonce) => getCreateAddress({ from: deployer.address, nonce }));
    expect(Object.values(resumed.contracts).sort()).toEqual([...created].sort());
    expect(await hasJournaled(chain.chainId, deployer.address)).toBe(false);
    const codes = await Promise.all(Array.from({ length: await settledNonce(deployer.provider!, deployer.address) }, (_, nonce) => chain.provider().getCode(getCreateAddress({ from: deployer.address, nonce }))));
    const made = codes.filter((c) => c !== "0x").map((c) => keccak256(c));
    expect(new Set(made).size).toBe(made.length);

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
