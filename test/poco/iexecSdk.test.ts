// The real client proves the deployment: the iexec SDK 9.0.0 CLI, with our rendered chain.json and keystore
// wallets, deposits, deploys an app and a workerpool, signs the three orders and fills them against PoCo on a
// real Clique chain. Then a scheduler and a worker drive the task on chain (initialize, contributeAndFinalize)
// until it is COMPLETED, and the accounts moved as PoCo pays. Only 127.0.0.1 is reachable: every iExec service
// in chain.json is a closed loopback port, which none of these commands needs.
import { execa } from "execa";
import { AbiCoder, Contract, getBytes, keccak256, solidityPacked, Wallet, ZeroAddress, ZeroHash } from "ethers";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomPassword } from "../../lib/keygen";
import { deployPoco } from "../../testkit/poco/deploy";
import { renderIexecChainJson } from "../../render/poco/chainJson";
import { encryptKeystore } from "../../lib/keygen";
import { startHomeCliqueChain, TestChain } from "../../testkit/chains";
import { deployDevRlc } from "../../testkit/poco/devToken";
import { defaultPocoSettings as settings } from "../../render/poco/defaults";

const IEXEC = join(__dirname, "..", "..", "node_modules", ".bin", "iexec");
const TASK_COMPLETED = 3n;
const APP_PRICE = 3n; // nRLC
const POOL_PRICE = 10n;
const POOL_STAKE_RATIO = 30n; // % of the workerpool price locked from its owner until the task ends

const POCO_ABI = [
  "function viewAccount(address) view returns (tuple(uint256 stake, uint256 locked))",
  "function viewDeal(bytes32) view returns (tuple(tuple(address pointer, address owner, uint256 price) app, tuple(address pointer, address owner, uint256 price) dataset, tuple(address pointer, address owner, uint256 price) workerpool, uint256 trust, uint256 category, bytes32 tag, address requester, address beneficiary, address callback, string params, uint256 startTime, uint256 botFirst, uint256 botSize, uint256 workerStake, uint256 schedulerRewardRatio, address sponsor))",
  "function viewTask(bytes32) view returns (tuple(uint8 status, bytes32 dealid, uint256 idx, uint256 timeref, uint256 contributionDeadline, uint256 revealDeadline, uint256 finalDeadline, bytes32 consensusValue, uint256 revealCounter, uint256 winnerCounter, address[] contributors, bytes32 resultDigest, bytes results, uint256 resultsTimestamp, bytes resultsCallback))",
  "function initialize(bytes32 dealid, uint256 idx) returns (bytes32)",
  "function contributeAndFinalize(bytes32 taskid, bytes32 resultDigest, bytes results, bytes resultsCallback, address enclaveChallenge, bytes enclaveSign, bytes authorizationSign)",
];

describe("iexec SDK 9.0.0 against our PoCo (real chain)", () => {
  let chain: TestChain;
  let dir: string;
  let hub: string;
  const password = randomPassword();
  const actors: Record<"app" | "pool" | "requester" | "worker", Wallet> = {} as never;

  /** Runs the CLI as `who` in the shared working dir; returns its --raw JSON answer. */
  async function iexec(who: keyof typeof actors, ...args: string[]): Promise<Record<string, any>> {
    const wallet = ["--keystoredir", join(dir, "keys"), "--wallet-file", `${who}.json`, "--password", password];
    const force = args[0] === "order" ? ["--force"] : []; // only order sign/fill would prompt
    const r = await execa(IEXEC, [...args, "--chain", "home", "--raw", ...force, ...wallet], { cwd: dir, reject: false, timeout: 120_000 });
    const out = JSON.parse(r.stdout || "{}");
    if (!out.ok) throw new Error(`iexec ${args.join(" ")} failed: ${r.stdout} ${r.stderr}`);
    return out;
  }

  beforeAll(async () => {
    chain = await startHomeCliqueChain({ chainId: 31_337_102 });
    const [tokenOwner, deployer] = await Promise.all([chain.fundedWallet(), chain.fundedWallet(100n)]);
    const rlc = await deployDevRlc(tokenOwner);
    const poco = await deployPoco(deployer, settings(chain.chainId, await rlc.getAddress(), deployer.address));
    hub = poco.contracts.Diamond;
    for (const who of ["app", "pool", "requester", "worker"] as const) actors[who] = await chain.fundedWallet(10n);
    for (const who of ["pool", "requester"] as const) await (await rlc.transfer(actors[who].address, 1_000n)).wait();

    dir = await mkdtemp(join(tmpdir(), "iexec-sdk-"));
    await writeFile(join(dir, "chain.json"), renderIexecChainJson({ name: "home", chainId: chain.chainId, host: chain.rpcUrl, hub }));
    await mkdir(join(dir, "keys"));
    for (const [who, w] of Object.entries(actors)) {
      const keystore = await encryptKeystore(w.privateKey, password, { scrypt: { n: 2 ** 12, r: 8, p: 1 } });
      await writeFile(join(dir, "keys", `${who}.json`), JSON.stringify(keystore));
    }
  });
  afterAll(async () => {
    await chain?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("wallet, deposit, app and workerpool deploy, order sign and fill; the task reaches COMPLETED and PoCo pays", async () => {
    const { app, pool, requester, worker } = actors;
    const shown = await iexec("requester", "wallet", "show");
    expect(shown.balance.nRLC).toBe("1000");

    await iexec("requester", "account", "deposit", "100");
    await iexec("pool", "account", "deposit", "10");

    const iexecJson = {
      app: { owner: app.address, name: "hello", type: "DOCKER", multiaddr: "registry.local/hello:1.0.0", checksum: keccak256("0x01") },
      workerpool: { owner: pool.address, description: "consortium pool" },
    };
    await writeFile(join(dir, "iexec.json"), JSON.stringify(iexecJson));
    const appAddress: string = (await iexec("app", "app", "deploy")).address;
    const poolAddress: string = (await iexec("pool", "workerpool", "deploy")).address;

    const order = {
      apporder: { app: appAddress, appprice: `${APP_PRICE}`, volume: "1", tag: [], datasetrestrict: ZeroAddress, workerpoolrestrict: ZeroAddress, requesterrestrict: ZeroAddress },
      workerpoolorder: { workerpool: poolAddress, workerpoolprice: `${POOL_PRICE}`, volume: "1", category: "0", trust: "0", tag: [], apprestrict: ZeroAddress, datasetrestrict: ZeroAddress, requesterrestrict: ZeroAddress },
      requestorder: {
        app: appAddress, appmaxprice: `${APP_PRICE}`, dataset: ZeroAddress, datasetmaxprice: "0", workerpool: poolAddress, workerpoolmaxprice: `${POOL_PRICE}`,
        volume: "1", category: "0", trust: "0", tag: [], beneficiary: requester.address, callback: ZeroAddress, params: { iexec_args: "hello" },
      },
    };
    await writeFile(join(dir, "iexec.json"), JSON.stringify({ ...iexecJson, order }));
    await iexec("app", "order", "sign", "--app");
    await iexec("pool", "order", "sign", "--workerpool");
    await iexec("requester", "order", "sign", "--request");
    const { dealid } = await iexec("requester", "order", "fill");

    // The scheduler (workerpool owner) initializes the task and authorizes the worker; the worker contributes
    // and finalizes in one go (trust 1).
    const poco = new Contract(hub, POCO_ABI, chain.provider());
    const deal = await poco.viewDeal(dealid);
    expect(deal.trust).toBe(1n);
    const taskid = keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [dealid, 0]));
    expect(keccak256(solidityPacked(["bytes32", "uint256"], [dealid, 0]))).toBe(taskid);
    await (await (poco.connect(pool.connect(chain.provider())) as Contract).initialize(dealid, 0)).wait();
    const authorization = await pool.signMessage(getBytes(keccak256(solidityPacked(["address", "bytes32", "address"], [worker.address, taskid, ZeroAddress]))));
    const resultDigest = keccak256("0xc0ffee");
    const byWorker = poco.connect(worker.connect(chain.provider())) as Contract;
    await (await byWorker.contributeAndFinalize(taskid, resultDigest, "0x1234", "0x", ZeroAddress, "0x", authorization)).wait();

    const task = await poco.viewTask(taskid);
    expect(task.status).toBe(TASK_COMPLETED);
    expect(task.resultDigest).toBe(resultDigest);
    expect(task.consensusValue).not.toBe(ZeroHash);

    const account = async (w: Wallet) => {
      const a = await poco.viewAccount(w.address);
      return { stake: a.stake as bigint, locked: a.locked as bigint };
    };
    const workerReward = (POOL_PRICE * (100n - deal.schedulerRewardRatio)) / 100n;
    expect(await account(requester)).toEqual({ stake: 100n - APP_PRICE - POOL_PRICE, locked: 0n });
    expect(await account(app)).toEqual({ stake: APP_PRICE, locked: 0n });
    expect(await account(worker)).toEqual({ stake: workerReward, locked: 0n });
    expect(await account(pool)).toEqual({ stake: 10n + POOL_PRICE - workerReward, locked: 0n });
    expect((POOL_PRICE * POOL_STAKE_RATIO) / 100n).toBeLessThanOrEqual(10n); // the pool's deposit covered its stake
  }, 300_000);
});
