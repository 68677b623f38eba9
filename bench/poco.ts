// Gas and wall time of a full PoCo deployment (22 contracts + setup) on the dev consortium's chain: a one-authority
// Clique chain at London with 1 s blocks, brought up by `pulumi up` on a scratch stack; the dev account deploys.
// Side by side in the same run: the deployment the PocoDeployment resource runs (lib/poco/deployment.ts: every
// creation and the setup in one burst, simulated first; the handovers, when the admin is not the deployer, in a second
// round), with the dev account as admin and handing everything to another one, against the sequential path it
// replaced (each transaction mined before the next is sent), and the chain's floor: ⌈total gas / block gas limit⌉
// blocks. Then a re-run on top, which must find everything done.
import { JsonRpcProvider, Wallet } from "ethers";
import { deployPoco, PocoDeploymentRun } from "../testkit/poco/deploy";
import { deployDevRlc } from "../testkit/poco/devToken";
import { defaultPocoSettings } from "../render/poco/defaults";
import { createScratchStack, oneAuthorityDevChain } from "../testkit/scratchStack";
import { ensureTools } from "../lib/toolchain/resolve";
import { SequencedWallet } from "../lib/eth/sequencedWallet";

const CHAIN_ID = 31_419;
const BLOCK_PERIOD_SECONDS = 1;

export async function benchPoco(log: (m: string) => void) {
  const scratch = await createScratchStack({
    name: "benchpoco",
    tools: await ensureTools({ log: () => {} }),
    config: oneAuthorityDevChain("benchpoco", CHAIN_ID, BLOCK_PERIOD_SECONDS),
  });
  try {
    log("poco: pulumi up of a one-authority dev chain ...");
    const up = await scratch.stack.up();
    const provider = new JsonRpcProvider(up.outputs.rpcUrl.value, CHAIN_ID, { staticNetwork: true, pollingInterval: 250 });
    try {
      const deployer = new SequencedWallet(up.outputs.devAccount.value.privateKey, provider);
      const token = await (await deployDevRlc(deployer)).getAddress();
      const settings = defaultPocoSettings(CHAIN_ID, token, deployer.address);
      const timed = async (what: string, run: () => Promise<PocoDeploymentRun>) => {
        log(`poco: ${what} ...`);
        const t0 = performance.now();
        const result = await run();
        return { result, seconds: (performance.now() - t0) / 1000 };
      };
      const sequential = await timed("sequential deployment (baseline)", () => deployPoco(deployer, settings, {}, { oneAtATime: true }));
      const pipelined = await timed("one-burst deployment", () => deployPoco(deployer, settings));
      const rerun = await timed("re-run on the deployed stack", () => deployPoco(deployer, settings, { ...pipelined.result.contracts }));
      const handedOver = await timed("one-burst deployment handed to another admin", () => deployPoco(deployer, { ...settings, admin: Wallet.createRandom().address }));
      const gasOf = (d: PocoDeploymentRun) => d.gas.contracts + d.gas.setup;
      const gas = gasOf(pipelined.result);
      const blockGasLimit = (await provider.getBlock("latest"))!.gasLimit;
      const floorOf = (g: bigint) => Number((g + blockGasLimit - 1n) / blockGasLimit) * BLOCK_PERIOD_SECONDS;
      const floorSeconds = floorOf(gas);
      return {
        blockPeriodSeconds: BLOCK_PERIOD_SECONDS,
        contractsDeployed: pipelined.result.deployed.length,
        setupSteps: pipelined.result.ran.length,
        gasContracts: Number(pipelined.result.gas.contracts),
        gasSetup: Number(pipelined.result.gas.setup),
        gasTotal: Number(gas),
        blockGasLimit: Number(blockGasLimit),
        floorSeconds,
        deploySeconds: pipelined.seconds,
        ratioToFloor: pipelined.seconds / floorSeconds,
        sequentialSeconds: sequential.seconds,
        sequentialGas: Number(sequential.result.gas.contracts + sequential.result.gas.setup),
        speedupOverSequential: sequential.seconds / pipelined.seconds,
        handedOverSteps: handedOver.result.ran.length,
        handedOverGas: Number(gasOf(handedOver.result)),
        handedOverSeconds: handedOver.seconds,
        handedOverRatioToFloor: handedOver.seconds / floorOf(gasOf(handedOver.result)),
        rerunSeconds: rerun.seconds,
        rerunGas: Number(rerun.result.gas.contracts + rerun.result.gas.setup),
      };
    } finally {
      provider.destroy();
    }
  } finally {
    await scratch.dispose();
  }
}
