// Registers a workerpool on chain through PoCo's WorkerpoolRegistry. `createWorkerpool(owner, description)` is
// permissionless (any sender mints the pool's ERC-721 to `owner`), so the contract deployer sends it and the
// scheduler key only owns the pool: that key needs no gas. Idempotent: the registry deploys workerpools at a
// predictable address (CREATE2 over owner and description, predictWorkerpool), so an existing one is found, not re-made.
import { Contract, JsonRpcProvider } from "ethers";
import { withProvider } from "../eth/provider";
import { waitForReceipt, withSenderLock } from "../eth/transactions";
import { SequencedWallet } from "../eth/sequencedWallet";

/** The WorkerpoolRegistry functions used (@iexec/poco 6.1.0, contracts/registries/workerpools/WorkerpoolRegistry.sol and its ERC-721 base). */
export const WORKERPOOL_REGISTRY_ABI = [
  "function createWorkerpool(address _workerpoolOwner, string _workerpoolDescription) returns (address)",
  "function predictWorkerpool(address _workerpoolOwner, string _workerpoolDescription) view returns (address)",
  "function isRegistered(address _entry) view returns (bool)",
  "function ownerOf(uint256 tokenId) view returns (address)",
] as const;

export interface RegistrationInputs {
  /** JSON-RPC URL the deploying machine reaches the home chain at. */
  rpcUrl: string;
  chainId: number;
  registry: string;
  description: string;
  /** The scheduler key's address: the workerpool's owner. */
  owner: string;
  /** Secret: the contract deployer's private key, which sends the transaction. Never part of the state's outputs. */
  deployerKey: string;
}

export interface RegistrationState extends Omit<RegistrationInputs, "deployerKey"> {
  address: string;
  registered: boolean;
  /** The owner per the registry (ownerOf) at the last create/read; "" while unregistered. */
  ownerOnChain: string;
}

async function observe(s: Omit<RegistrationInputs, "deployerKey">, provider: JsonRpcProvider) {
  const registry = new Contract(s.registry, WORKERPOOL_REGISTRY_ABI, provider);
  const address: string = await registry.predictWorkerpool(s.owner, s.description);
  const registered: boolean = await registry.isRegistered(address);
  const ownerOnChain: string = registered ? await registry.ownerOf(BigInt(address)) : "";
  return { registry, address, registered, ownerOnChain };
}

const sameAddress = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether the chain holds the workerpool as the state says: registered, owned by the scheduler key. */
export const inStep = (s: RegistrationState) => s.registered && sameAddress(s.ownerOnChain, s.owner);

export function registerWorkerpool(inputs: RegistrationInputs): Promise<RegistrationState> {
  const { deployerKey, ...state } = inputs;
  return withProvider(inputs, async (provider) => {
    let found = await observe(state, provider);
    if (!found.registered) {
      const deployer = new SequencedWallet(deployerKey, provider);
      // One transaction at a time per sender: PoCo's and the bridge's resources use the same deployer.
      await withSenderLock(inputs.chainId, deployer.address, async () => {
        const tx = await (found.registry.connect(deployer) as Contract).createWorkerpool(inputs.owner, inputs.description);
        await waitForReceipt(provider, tx.hash, `registering workerpool "${inputs.description}"`);
      });
      found = await observe(state, provider);
    }
    const out = { ...state, address: found.address, registered: found.registered, ownerOnChain: found.ownerOnChain };
    if (!inStep(out)) {
      throw new Error(
        `workerpool ${found.address} is owned by ${found.ownerOnChain || "nobody"}, not the scheduler key ${inputs.owner}. ` +
          `Fix: its current owner transfers it back (safeTransferFrom on the registry ${inputs.registry}); the deployer cannot.`,
      );
    }
    return out;
  });
}

/** The state with what the chain says now (for `read`). */
export function readWorkerpool(state: RegistrationState): Promise<RegistrationState> {
  return withProvider(state, async (provider) => {
    const found = await observe(state, provider);
    return { ...state, address: found.address, registered: found.registered, ownerOnChain: found.ownerOnChain };
  });
}
