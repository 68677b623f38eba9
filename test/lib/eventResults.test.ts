// The outputs of an up as its events show them (lib/cli/eventResults.ts), on the shapes the engine sends: a secret is
// Pulumi's signed value with its ciphertext masked, at the top of an output or inside one. That the whole reading
// agrees with what the CLI reads back from a real stack is test/integration/localConsortium.test.ts's.
import { describe, expect, it } from "vitest";
import { holdsSecret, outputMap } from "../../lib/cli/eventResults";

/** A secret as an up's events carry it (seen in the dev stack's events, Pulumi 3.259). */
const masked = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" };

describe("an up's outputs from its events", () => {
  it("finds a secret at the top of an output, inside one, or nowhere", () => {
    expect(holdsSecret({ rpcUrl: "http://127.0.0.1:8545", token: masked })).toBe(true);
    expect(holdsSecret({ devAccount: { address: "0xab", privateKey: masked } })).toBe(true);
    expect(holdsSecret({ nodes: [{ name: "a0", keys: [masked] }] })).toBe(true);
    expect(holdsSecret({ rpcUrl: "http://127.0.0.1:8545", note: "[secret]", n: 3, none: null })).toBe(false);
  });

  it("takes values from the plaintext and marks secret an output that is one as a whole, as the Automation API does", () => {
    const shown = { rpcUrl: "http://x", token: masked, devAccount: { address: "0xab", privateKey: masked } };
    const plaintext = { rpcUrl: "http://x", token: "t0ken", devAccount: { address: "0xab", privateKey: "0xkey" } };
    expect(outputMap(shown, plaintext)).toEqual({
      rpcUrl: { value: "http://x", secret: false },
      token: { value: "t0ken", secret: true },
      devAccount: { value: { address: "0xab", privateKey: "0xkey" }, secret: false },
    });
  });
});
