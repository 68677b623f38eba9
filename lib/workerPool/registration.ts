// Registers a workerpool on chain through PoCo's WorkerpoolRegistry, owned by the scheduler key. Idempotent: the
// registry deploys workerpools at a predictable address (predictWorkerpool), so an existing one is found, not re-made.
import { Contract, JsonRpcProvider, Wallet } from "ethers";

/** The WorkerpoolRegistry functions used (ABI of @iexec/poco 6.1.0's artifacts/.../WorkerpoolRegistry.json). */
export const WORKERPOOL_REGISTRY_ABI = [
  "function createWorkerpool(address _workerpoolOwner, string _workerpoolDescription) returns (address)",
  "function predictWorkerpool(address _workerpoolOwner, string _workerpoolDescription) view returns (address)",
  "function isRegistered(address _entry) view returns (bool)",
] as const;

export interface RegistrationInputs {
  rpcUrl: string;
  registry: string;
  description: string;
  /** The scheduler's encrypted keystore: it owns the workerpool and sends the transaction. */
  keystore: string;
  /** Secret: the keystore's password. */
  password: string;
}

export interface RegistrationOutputs extends RegistrationInputs {
  owner: string;
  address: string;
  registered: boolean;
}

async function lookup(inputs: RegistrationInputs, owner: string) {
  const registry = new Contract(inputs.registry, WORKERPOOL_REGISTRY_ABI, new JsonRpcProvider(inputs.rpcUrl, undefined, { staticNetwork: true }));
  const address: string = await registry.predictWorkerpool(owner, inputs.description);
  return { registry, address, registered: (await registry.isRegistered(address)) as boolean };
}

export async function registerWorkerpool(inputs: RegistrationInputs): Promise<RegistrationOutputs> {
  const signer = await Wallet.fromEncryptedJson(inputs.keystore, inputs.password);
  const found = await lookup(inputs, signer.address);
  if (!found.registered) {
    const registry = found.registry.connect(signer.connect(found.registry.runner!.provider)) as Contract;
    await (await registry.createWorkerpool(signer.address, inputs.description)).wait();
  }
  return { ...inputs, owner: signer.address, address: found.address, registered: true };
}

/** Whether the workerpool is (still) registered, for `read`. */
export async function readWorkerpool(state: RegistrationOutputs): Promise<RegistrationOutputs> {
  const found = await lookup(state, state.owner);
  return { ...state, address: found.address, registered: found.registered };
}
