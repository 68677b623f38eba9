// PocoStack under pulumi.runtime.setMocks: one parented PocoContract per contract wired by dependency, the setup
// after them, the deployer key only ever a secret input, early validation, and the rendered chain.json.
import * as pulumi from "@pulumi/pulumi";
import { Wallet } from "ethers";
import { beforeAll, describe, expect, it } from "vitest";
import { PocoStack } from "../../components/poco/PocoStack";
import { CONTRACTS } from "../../lib/poco/plan";
import { recordRegistrations, Registration, SECRET_SIG, value } from "../support/pulumiMocks";

interface Declared {
  type: string;
  name: string;
  inputs: Record<string, any>;
}
const declared: Declared[] = [];
let requests: Map<string, Registration>;

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        declared.push({ type: args.type, name: args.name, inputs: args.inputs });
        // A contract's address is derived from its name; the setup is identified by the Diamond.
        const address = Wallet.createRandom().address;
        const id = args.type.endsWith("poco:PocoSetup") ? args.inputs.contracts.Diamond : address;
        return { id, state: { ...args.inputs, address, problems: [] } };
      },
      call: (args) => args.inputs,
    },
    "poco-mock",
    "mock",
    false,
  );
  requests = recordRegistrations();
});

const args = () => ({
  rpcUrl: "http://127.0.0.1:8545",
  chainId: 31_337,
  deployerKey: Wallet.createRandom().privateKey,
  token: Wallet.createRandom().address,
  admin: Wallet.createRandom().address,
});

describe("PocoStack (mocks)", () => {
  it("declares every contract and the setup as parented children, the key a secret, chain.json for the SDK", async () => {
    const a = args();
    const stack = new PocoStack("home", { ...a, chainName: "home" });
    const poco = await value(stack.poco);
    const chainJson = JSON.parse(await value(stack.chainJson));

    const contracts = declared.filter((d) => d.type === "pulumi-nodejs:dynamic/poco:PocoContract");
    expect(contracts.map((c) => c.inputs.contract).sort()).toEqual([...CONTRACTS].sort()); // registered as their inputs resolve
    const setup = declared.find((d) => d.type === "pulumi-nodejs:dynamic/poco:PocoSetup")!;
    expect(setup.inputs.categories.map((c: { name: string }) => c.name)).toEqual(["XS", "S", "M", "L", "XL"]);
    expect(setup.inputs.registryBaseUris.AppRegistry).toBe("https://nfts-metadata.iex.ec/31337/app/");

    for (const d of [...contracts, setup]) {
      expect(d.inputs.deployerKey[SECRET_SIG]).toBeDefined(); // a secret input
      expect(requests.get(`${d.type}::${d.name}`)!.parent).toContain("consortium:poco:PocoStack::home");
    }
    const component = requests.get("consortium:poco:PocoStack::home")!;
    expect(JSON.stringify(component)).not.toContain(a.deployerKey.slice(2));

    // The Diamond's creation waits for its base facets; the facets for the library they link.
    const diamond = contracts.find((c) => c.inputs.contract === "Diamond")!;
    expect(Object.keys(diamond.inputs.dependencies).sort()).toEqual(["DiamondCutFacet", "DiamondInit", "DiamondLoupeFacet", "OwnershipFacet"]);
    const poco1 = contracts.find((c) => c.inputs.contract === "IexecPoco1Facet")!;
    expect(Object.keys(poco1.inputs.dependencies)).toEqual(["IexecLibOrders_v5"]);

    expect(poco.hub).toBe(setup.inputs.contracts.Diamond);
    expect(poco).toMatchObject({ token: a.token, chainId: 31_337, appRegistry: setup.inputs.contracts.AppRegistry });
    expect(chainJson).toEqual({
      default: "home",
      chains: {
        home: expect.objectContaining({ id: "31337", host: a.rpcUrl, hub: poco.hub, sms: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) }),
      },
    });
    expect(Object.keys(chainJson.chains.home).sort()).toEqual(["compass", "host", "hub", "id", "iexecGateway", "ipfsGateway", "pocoSubgraph", "sms"]);
  });

  it("rejects bad arguments before any resource exists, naming the component and the fix", () => {
    expect(() => new PocoStack("bad-token", { ...args(), token: "0x1234" })).toThrow(/PocoStack bad-token: token "0x1234" is not an address/);
    expect(() => new PocoStack("bad-cats", { ...args(), categories: [] })).toThrow(/categories is empty/);
    expect(() => new PocoStack("bad-cat", { ...args(), categories: [{ name: "XS", description: "", workClockTimeRef: 0 }] })).toThrow(/workClockTimeRef/);
    expect(() => new PocoStack("bad-name", { ...args(), chainName: "Home Chain" })).toThrow(/chainName/);
    expect(declared.some((d) => d.name.startsWith("bad-"))).toBe(false);
  });
});
