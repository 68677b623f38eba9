// Gas and wall time of a full PoCo deployment (21 contracts + setup) on the dev consortium's chain: a one-authority
// Clique chain at London with 1 s blocks, brought up by `pulumi up` on a scratch stack; the dev account deploys.
// Then the same deployment re-run on top of itself, which must find everything done (no gas).
import { JsonRpcProvider } from "ethers";
import { deployPoco } from "../testkit/poco/deploy";
import { deployDevRlc } from "../testkit/poco/devToken";
import { defaultPocoSettings } from "../render/poco/defaults";
import { createScratchStack } from "../testkit/scratchStack";
import { ensureTools } from "../lib/toolchain/resolve";
import { SequencedWallet } from "../lib/eth/sequencedWallet";

const CHAIN_ID = 31_419;
const BLOCK_PERIOD_SECONDS = 1;

export async function benchPoco(log: (m: string) => void) {
  const scratch = await createScratchStack({
    name: "benchpoco",
    tools: await ensureTools({ log: () => {} }),
    config: {
      name: "benchpoco",
      dev: true,
      chainId: CHAIN_ID,
      blockPeriodSeconds: BLOCK_PERIOD_SECONDS,
      scryptN: 2 ** 12,
      authorities: [{ name: "a0", member: "m0" }],
      fleet: { target: "local", rpcNode: true },
    },
  });
  try {
    log("poco: pulumi up of a one-authority dev chain ...");
    const up = await scratch.stack.up();
    const provider = new JsonRpcProvider(up.outputs.rpcUrl.value, CHAIN_ID, { staticNetwork: true, pollingInterval: 250 });
    try {
      const deployer = new SequencedWallet(up.outputs.devAccount.value.privateKey, provider);
      const token = await (await deployDevRlc(deployer)).getAddress();
      const settings = defaultPocoSettings(CHAIN_ID, token, deployer.address);
      log("poco: full deployment ...");
      let t0 = performance.now();
      const first = await deployPoco(deployer, settings);
      const deploySeconds = (performance.now() - t0) / 1000;
      log("poco: re-run on the deployed stack ...");
      t0 = performance.now();
      const again = await deployPoco(deployer, settings, first.contracts);
      const rerunSeconds = (performance.now() - t0) / 1000;
      return {
        blockPeriodSeconds: BLOCK_PERIOD_SECONDS,
        contractsDeployed: first.deployed.length,
        setupSteps: first.ran.length,
        gasContracts: Number(first.gas.contracts),
        gasSetup: Number(first.gas.setup),
        gasTotal: Number(first.gas.contracts + first.gas.setup),
        deploySeconds,
        rerunSeconds,
        rerunGas: Number(again.gas.contracts + again.gas.setup),
      };
    } finally {
      provider.destroy();
    }
  } finally {
    await scratch.dispose();
  }
}
