// testkit/onDemandWatchdog.ts on a real chain sealing on demand: quiet while blocks come, it sends the sealer a
// transaction once another has been pending with no block (here: the sealer stopped, so nothing can seal).
import { JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { startOnDemandChain, TestChain } from "../../testkit/chains";
import { OnDemandWatchdog, watchOnDemandSealing } from "../../testkit/onDemandWatchdog";

describe("on-demand sealing watchdog (real chain)", () => {
  let chain: TestChain;
  let poker: SequencedWallet;
  let sender: SequencedWallet;
  let watchdog: OnDemandWatchdog;
  let provider: JsonRpcProvider;
  const pokes = () => provider.getTransactionCount(poker.address, "pending");
  beforeAll(async () => {
    chain = await startOnDemandChain(31_337_109);
    [poker, sender] = [await chain.fundedWallet(1n), await chain.fundedWallet(1n)];
    provider = chain.provider();
    watchdog = watchOnDemandSealing(chain.rpcUrl, chain.chainId, poker.privateKey);
  }, 120_000);
  afterAll(async () => {
    watchdog?.stop();
    await chain?.stop();
  });

  it("sends nothing while each transaction is sealed at once", async () => {
    for (let i = 0; i < 3; i++) await (await sender.sendTransaction({ to: sender.address, value: 0 })).wait();
    await new Promise((r) => setTimeout(r, 3_500));
    expect(await pokes()).toBe(0);
  });

  it("sends the sealer a transaction when one has been pending with no new block", async () => {
    await chain.stopNode("solo");
    await sender.sendTransaction({ to: sender.address, value: 0 });
    const deadline = Date.now() + 15_000;
    while ((await pokes()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await pokes()).toBeGreaterThan(0);
  });
});
