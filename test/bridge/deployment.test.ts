// The bridge's deployment on two real chains (lib/bridge/deployment.ts): one burst per chain, then the binding; a
// re-run that sends nothing; the replacements it refuses before sending anything; a run cut off by a failing endpoint
// and resumed without creating anything twice; and the state of a stack made before it, taken over.
import { Contract, getCreateAddress, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERC20_ABI, FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI } from "../../lib/bridge/abi";
import { BridgeDeploymentInputs, BridgeDeploymentState, deployBridgeContracts, toCreate } from "../../lib/bridge/deployment";
import { hasJournaled } from "../../lib/eth/creationJournal";
import { settledNonce } from "../../lib/eth/transactions";
import { startOnDemandChain, TestChain } from "../../testkit/chains";
import { deployDevRlc } from "../../testkit/poco/devToken";
import { startRpcProxy } from "../support/rpcProxy";

const LIMITS = { minPerTx: "1", maxPerTx: (10n ** 15n).toString(), dailyLimit: (10n ** 16n).toString() };

describe("bridge deployment (two real chains)", () => {
  let foreign: TestChain;
  let home: TestChain;
  beforeAll(async () => {
    [foreign, home] = await Promise.all([startOnDemandChain(31_337_201), startOnDemandChain(31_337_202)]);
  });
  afterAll(async () => {
    await Promise.all([foreign?.stop(), home?.stop()]);
  });

  /** A fresh deployer funded on both chains, and the inputs a stack gives it. */
  async function setup(): Promise<{ key: string; deployer: string; user: string; inputs: BridgeDeploymentInputs }> {
    const key = Wallet.createRandom().privateKey;
    await Promise.all([foreign.fundedWallet(100n, key), home.fundedWallet(100n, key)]);
    const user = Wallet.createRandom().address;
    const inputs: BridgeDeploymentInputs = {
      foreignRpcUrl: foreign.rpcUrl,
      foreignChainId: foreign.chainId,
      homeRpcUrl: home.rpcUrl,
      homeChainId: home.chainId,
      deployerKey: key,
      validators: { validators: [0, 1, 2].map(() => Wallet.createRandom().address), threshold: 2 },
      vault: { depositLimits: LIMITS, releaseLimits: LIMITS, feeBps: 50, feeRecipient: Wallet.createRandom().address, whitelist: [user] },
      gateway: { executionLimits: LIMITS, withdrawLimits: LIMITS },
      token: { name: "Bridged RLC", symbol: "bRLC", decimals: 9 },
    };
    return { key, deployer: new Wallet(key).address, user, inputs };
  }
  /** The deployer's nonce on each chain once nothing of it is in flight. */
  const nonces = (address: string) => Promise.all([settledNonce(foreign.provider(), address), settledNonce(home.provider(), address)]);

  let first: { deployer: string; user: string; inputs: BridgeDeploymentInputs; state: BridgeDeploymentState };

  it("creates the foreign contracts and whitelist in one burst, the home ones in another, then binds the vault", async () => {
    const { deployer, user, inputs } = await setup();
    const state = await deployBridgeContracts(inputs);
    const c = state.contracts;
    // Foreign: dev RLC, validator set, vault, the whitelist, then the binding; home: validator set, gateway.
    const at = (nonce: number) => getCreateAddress({ from: deployer, nonce });
    expect([c.foreignToken, c.foreignSet, c.vault]).toEqual([at(0), at(1), at(2)]);
    expect([c.homeSet, c.gateway]).toEqual([at(0), at(1)]);
    expect(await nonces(deployer)).toEqual([5, 2]);
    const vault = new Contract(c.vault, FOREIGN_VAULT_ABI, foreign.provider());
    const gateway = new Contract(c.gateway, HOME_GATEWAY_ABI, home.provider());
    expect(await vault.homeGateway()).toBe(c.gateway);
    expect(await gateway.foreignVault()).toBe(c.vault);
    expect(await gateway.token()).toBe(c.homeToken);
    expect(await vault.isWhitelisted(user)).toBe(true);
    expect(await vault.binder()).toBe("0x0000000000000000000000000000000000000000");
    expect(state.boundGateway).toBe(c.gateway);
    // Where the agents start: the blocks of the creations.
    const createdIn = async (chain: TestChain, address: string, block: number) =>
      [await chain.provider().getCode(address, block - 1), (await chain.provider().getCode(address, block)) !== "0x"];
    expect(await createdIn(foreign, c.vault, state.deployBlocks.vault!)).toEqual(["0x", true]);
    expect(await createdIn(home, c.gateway, state.deployBlocks.gateway!)).toEqual(["0x", true]);
    expect(await hasJournaled(foreign.chainId, deployer)).toBe(false);
    expect(await hasJournaled(home.chainId, deployer)).toBe(false);
    first = { deployer, user, inputs, state };
  }, 120_000);

  it("sends nothing when everything is deployed and bound", async () => {
    const { deployer, inputs, state } = first;
    expect(toCreate(state, inputs).size).toBe(0);
    const again = await deployBridgeContracts(inputs, state);
    expect(again.contracts).toEqual(state.contracts);
    expect(await nonces(deployer)).toEqual([5, 2]);
  }, 60_000);

  it("takes over the state of a stack made before it (its VaultBinding) without sending anything", async () => {
    const { deployer, inputs, state } = first;
    const legacy = { rpcUrl: foreign.rpcUrl, chainId: foreign.chainId, vault: state.contracts.vault, gateway: state.contracts.gateway, boundGateway: state.contracts.gateway };
    const taken = await deployBridgeContracts(inputs, legacy);
    expect(taken.contracts).toEqual(state.contracts);
    expect(taken.token).toEqual(inputs.token);
    expect(await nonces(deployer)).toEqual([5, 2]);
    // What the chains say was deployed is compared with the inputs: a rename is still refused.
    const renamed = { ...inputs, token: { ...inputs.token, symbol: "XRLC" } };
    await expect(deployBridgeContracts(renamed, legacy)).rejects.toThrow(/bridge\.token\.symbol \("bRLC" → "XRLC"\) would deploy a new gateway, but the foreign vault 0x[0-9a-fA-F]{40} is bound to this one for good/);
  }, 60_000);

  it("refuses, before sending anything, a new gateway for a bound vault, and leaving tokens behind in a vault", async () => {
    const { deployer, inputs, state } = first;
    const renamed = { ...inputs, token: { ...inputs.token, name: "Renamed" } };
    expect([...toCreate(state, renamed)]).toEqual(["gateway"]);
    await expect(deployBridgeContracts(renamed, state)).rejects.toThrow(
      /home gateway 0x[0-9a-fA-F]{40}: changing bridge\.token\.name \("Bridged RLC" → "Renamed"\) would deploy a new gateway.*Fix: set bridge\.token\.name back to the deployed value/,
    );
    // Another foreign token means another vault (and gateway): refused while the vault holds tokens.
    const owner = new Contract(state.contracts.foreignToken, ERC20_ABI, await foreign.fundedWallet(1n, inputs.deployerKey));
    await (await owner.transfer(state.contracts.vault, 5n)).wait();
    const otherToken = { ...inputs, foreignToken: Wallet.createRandom().address };
    expect([...toCreate(state, otherToken)].sort()).toEqual(["gateway", "vault"]);
    await expect(deployBridgeContracts(otherToken, state)).rejects.toThrow(/foreign vault 0x[0-9a-fA-F]{40} holds 5 base units of 0x[0-9a-fA-F]{40} locked/);
    expect(await nonces(deployer)).toEqual([6, 2]);
  }, 60_000);

  it("moves an empty vault to another token with a new gateway, bound to it", async () => {
    const { deployer, inputs } = await setup();
    const state = await deployBridgeContracts(inputs);
    const otherToken = await (await deployDevRlc(await foreign.fundedWallet(1n))).getAddress();
    const moved = await deployBridgeContracts({ ...inputs, foreignToken: otherToken }, state);
    expect(moved.contracts.foreignToken).toBe(otherToken);
    expect(moved.contracts.vault).not.toBe(state.contracts.vault);
    expect(moved.contracts.gateway).not.toBe(state.contracts.gateway);
    expect(moved.contracts.foreignSet).toBe(state.contracts.foreignSet);
    const vault = new Contract(moved.contracts.vault, FOREIGN_VAULT_ABI, foreign.provider());
    expect([await vault.token(), await vault.homeGateway()]).toEqual([otherToken, moved.contracts.gateway]);
    // Vault, whitelist and binding on foreign; the gateway on home.
    expect(await nonces(deployer)).toEqual([8, 3]);
  }, 60_000);

  it("resumes a deployment cut off between the two chains, creating nothing twice", async () => {
    const { deployer, user, inputs } = await setup();
    // The home endpoint (a test double in front of the real node) fails every transaction: it goes down between the bursts.
    const fail = () => {
      throw new Error("failing on purpose (test double)");
    };
    const failing = { answer: (call: { method: string }) => (call.method === "eth_sendRawTransaction" ? fail() : undefined) };
    const endpoint = await startRpcProxy(home.rpcUrl, failing);
    try {
      await expect(deployBridgeContracts({ ...inputs, homeRpcUrl: endpoint.url })).rejects.toThrow();
      // The foreign burst went out (and is journaled); nothing reached home.
      expect(await nonces(deployer)).toEqual([4, 0]);
      expect(await hasJournaled(foreign.chainId, deployer)).toBe(true);
      endpoint.set({});
      const resumed = await deployBridgeContracts({ ...inputs, homeRpcUrl: endpoint.url });
      const at = (nonce: number) => getCreateAddress({ from: deployer, nonce });
      expect([resumed.contracts.foreignToken, resumed.contracts.foreignSet, resumed.contracts.vault]).toEqual([at(0), at(1), at(2)]);
      // Only the binding more on foreign; the home contracts once.
      expect(await nonces(deployer)).toEqual([5, 2]);
      expect(await new Contract(resumed.contracts.vault, FOREIGN_VAULT_ABI, foreign.provider()).homeGateway()).toBe(resumed.contracts.gateway);
      expect(await new Contract(resumed.contracts.vault, FOREIGN_VAULT_ABI, foreign.provider()).isWhitelisted(user)).toBe(true);
      expect(resumed.deployBlocks.vault).toBeGreaterThan(0);
      expect(await hasJournaled(foreign.chainId, deployer)).toBe(false);
    } finally {
      await endpoint.stop();
    }
  }, 120_000);

  it("names the vault where it ends up when the foreign burst must take other nonces, sending nothing home before", async () => {
    const { key, deployer, inputs } = await setup();
    // Another transaction of the deployer's (a plain ethers wallet: another tool), and a foreign endpoint (a test
    // double in front of the node) that answers its next pending-nonce question with the count before it, as geth
    // does for a moment after importing a block: the burst's first transaction is refused, and it is planned again.
    await (await new Wallet(key, foreign.provider()).sendTransaction({ to: deployer, value: 1n })).wait();
    let stale = true;
    const lagging = {
      rewrite: (call: { method: string; params: unknown[] }, result: unknown) =>
        call.method === "eth_getTransactionCount" && call.params[1] === "pending" && stale ? ((stale = false), "0x0") : result,
    };
    const endpoint = await startRpcProxy(foreign.rpcUrl, lagging);
    try {
      const state = await deployBridgeContracts({ ...inputs, foreignRpcUrl: endpoint.url });
      expect(stale).toBe(false);
      const at = (nonce: number) => getCreateAddress({ from: deployer, nonce });
      expect(state.contracts.vault).toBe(at(3));
      expect(await new Contract(state.contracts.gateway, HOME_GATEWAY_ABI, home.provider()).foreignVault()).toBe(at(3));
      expect(state.boundGateway).toBe(state.contracts.gateway);
      // Home: the validator set and one gateway, the one naming the vault.
      expect(await nonces(deployer)).toEqual([6, 2]);
    } finally {
      await endpoint.stop();
    }
  }, 120_000);
});
