// Dynamic provider for generated key material. Keys live only in (encrypted) Pulumi state; `read` has no
// outside world to compare with, so it returns the state as it is.
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../lib/project";
import type { KeyInputs, KeyOutputs } from "../../lib/keygen";
import { projectProvider } from "../projectResource";

// The implementation is loaded inside the methods, from the project being run (lib/project.ts): the provider host loads
// this module by name (components/projectResource.ts), and an implementation only when an operation calls into it.
const KEYGEN = "lib/keygen";

export const keyProvider: pulumi.dynamic.ResourceProvider<KeyInputs, KeyOutputs> = {
  async create(inputs: KeyInputs) {
    const { generateKey, generatedKeyId } = projectModule(KEYGEN);
    const outs: KeyOutputs = await generateKey(inputs);
    return { id: generatedKeyId(outs), outs };
  },
  async diff(_id: string, olds: KeyOutputs, news: KeyInputs) {
    // Only a change of kind makes a new key; scrypt settings apply to keys created afterwards.
    const replace = olds.kind !== news.kind;
    return { changes: replace, replaces: replace ? ["kind"] : [], deleteBeforeReplace: false };
  },
  async read(id: string, props?: KeyOutputs) {
    return { id, props: props ?? ({} as KeyOutputs) };
  },
  async update(_id: string, olds: KeyOutputs) {
    return { outs: olds };
  },
};

/** The provider above, as the dynamic-provider host loads it (components/projectResource.ts). */
export const keyProviderRef = projectProvider(__filename, { keyProvider });
