// PocoStack under pulumi.runtime.setMocks: one parented PocoDeployment (the old setup's name and type its alias, so
// that stacks made before keep their contracts) and a PocoContract per contract at the address it reports, the
// deployer key only ever a secret input of the deployment, early validation, and the rendered chain.json.
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
        // The deployment reports every contract's address and is identified by the Diamond.
        if (!args.type.endsWith("poco:PocoDeployment")) return { id: `${args.name}-id`, state: args.inputs };
        const contracts = Object.fromEntries(CONTRACTS.map((c) => [c, Wallet.createRandom().address]));
        return { id: contracts.Diamond, state: { ...args.inputs, contracts, problems: [] } };
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
  it("declares the deployment and every contract as parented children, the key a secret, chain.json for the SDK", async () => {
    const a = args();
    const stack = new PocoStack("home", { ...a, chainName: "home" });
    const poco = await value(stack.poco);
    const chainJson = JSON.parse(await value(stack.chainJson));

    const deployment = declared.find((d) => d.type === "pulumi-nodejs:dynamic/poco:PocoDeployment")!;
    expect(deployment.name).toBe("home-deployment");
    expect(deployment.inputs.categories.map((c: { name: string }) => c.name)).toEqual(["XS", "S", "M", "L", "XL"]);
    expect(deployment.inputs.registryBaseUris.AppRegistry).toBe("https://nfts-metadata.iex.ec/31337/app/");
    expect(deployment.inputs.deployerKey[SECRET_SIG]).toBeDefined(); // a secret input
    const request = requests.get(`${deployment.type}::${deployment.name}`)!;
    expect(request.aliases).toContainEqual(expect.stringMatching(/pulumi-nodejs:dynamic\/poco:PocoSetup::home-setup$/));

    // One resource per contract, holding the address the deployment reports and no key.
    const contracts = declared.filter((d) => d.type === "pulumi-nodejs:dynamic/poco:PocoContract");
    expect(contracts.map((c) => c.inputs.contract).sort()).toEqual([...CONTRACTS].sort());
    const reported = (await value(stack.poco)).hub;
    expect(contracts.find((c) => c.inputs.contract === "Diamond")!.inputs.address).toBe(reported);
    for (const d of [...contracts, deployment]) {
      expect(requests.get(`${d.type}::${d.name}`)!.parent).toContain("consortium:poco:PocoStack::home");
      if (d !== deployment) expect(d.inputs.deployerKey).toBeUndefined();
    }
    const component = requests.get("consortium:poco:PocoStack::home")!;
    expect(JSON.stringify(component)).not.toContain(a.deployerKey.slice(2));

    expect(poco).toMatchObject({ token: a.token, chainId: 31_337 });
    expect(poco.appRegistry).toBe(contracts.find((c) => c.inputs.contract === "AppRegistry")!.inputs.address);
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
