// lib/eth/creationJournal.ts against a real chain: an entry left by an interrupted attempt is adopted; an entry
// pointing at someone else's creation (a forged or stale file) is not — the chain, not the file, decides.
import { getCreateAddress, keccak256, solidityPackedKeccak256 } from "ethers";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOnce, JournalEntry, journalDir } from "../../lib/eth/creationJournal";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { startHomeCliqueChain, TestChain } from "../../testkit/chains";

// Creation code whose runtime code is one byte (STOP): PUSH1 tag, POP, then CODECOPY the last byte and RETURN it;
// `tag` makes each creation code distinct.
const creation = (tag: number) => `0x60${tag.toString(16).padStart(2, "0")}506001600f60003960016000f300`;

describe("creation journal (real chain)", () => {
  let chain: TestChain;
  let deployer: SequencedWallet;
  let attacker: SequencedWallet;
  beforeAll(async () => {
    chain = await startHomeCliqueChain({ chainId: 31_337_105 });
    [deployer, attacker] = [await chain.fundedWallet(10n), await chain.fundedWallet(10n)];
  }, 120_000);
  afterAll(async () => chain?.stop());

  const entryFor = async (data: string, entry: Omit<JournalEntry, "chainId" | "sender">) => {
    const key = solidityPackedKeccak256(["uint256", "address", "bytes32"], [chain.chainId, deployer.address, keccak256(data)]);
    await mkdir(journalDir(), { recursive: true });
    await writeFile(join(journalDir(), `${key.slice(2)}.json`), JSON.stringify({ chainId: chain.chainId, sender: deployer.address, ...entry }));
  };

  it("adopts the creation an interrupted attempt sent, and sends nothing", async () => {
    const data = creation(1);
    const nonce = await deployer.getNonce();
    const tx = await deployer.sendTransaction({ data });
    await entryFor(data, { hash: tx.hash, address: getCreateAddress({ from: deployer.address, nonce }) });
    const created = await createOnce(deployer, data, "test", 60_000);
    expect(created).toMatchObject({ adopted: true, address: getCreateAddress({ from: deployer.address, nonce }) });
    await created.recorded();
    expect(await deployer.getNonce()).toBe(nonce + 1);
  });

  it("ignores an entry pointing at another account's creation, and creates its own", async () => {
    const data = creation(2);
    const theirs = await attacker.sendTransaction({ data });
    await theirs.wait();
    const theirAddress = getCreateAddress({ from: attacker.address, nonce: theirs.nonce });
    await entryFor(data, { hash: theirs.hash, address: theirAddress });
    const created = await createOnce(deployer, data, "test", 60_000);
    await created.recorded();
    expect(created.adopted).toBe(false);
    expect(created.address).not.toBe(theirAddress);
    expect((await chain.provider().getTransaction(created.receipt.hash))!.from).toBe(deployer.address);
  });
});
