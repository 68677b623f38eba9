// Offline: the shipped artifacts link, the facets' selectors never collide, and chain.json has the SDK's shape.
import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { linkBytecode, loadArtifact } from "../../lib/poco/artifacts";
import { CONTRACTS, creationCode, dependenciesOf, FACETS, selectorsOf } from "../../lib/poco/plan";
import { DUMMY_SERVICES, renderIexecChainJson } from "../../render/poco/chainJson";

const addr = () => Wallet.createRandom().address;

describe("PoCo plan", () => {
  it("links IexecLibOrders_v5 into the facets that need it, and only those", () => {
    const linked = FACETS.filter((f) => dependenciesOf(f).length > 0);
    expect(linked.sort()).toEqual(["IexecConfigurationFacet", "IexecOrderManagementFacet", "IexecPoco1Facet", "IexecPocoAccessorsFacet", "IexecPocoBoostFacet"]);
    const lib = addr();
    const code = linkBytecode(loadArtifact("IexecPoco1Facet"), { IexecLibOrders_v5: lib });
    expect(code).not.toContain("__$");
    expect(code.split(lib.slice(2).toLowerCase()).length - 1).toBe(5);
    expect(() => linkBytecode(loadArtifact("IexecPoco1Facet"), {})).toThrow(/needs library IexecLibOrders_v5/);
  });

  it("orders every contract after its dependencies", () => {
    CONTRACTS.forEach((c, i) => dependenciesOf(c).forEach((d) => expect(CONTRACTS.indexOf(d)).toBeLessThan(i)));
  });

  it("routes 93 distinct PoCo selectors plus receive/fallback to the escrow facet", () => {
    const all = FACETS.flatMap((f) => selectorsOf(f));
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(95);
    expect(selectorsOf("IexecEscrowTokenFacet")).toEqual(expect.arrayContaining(["0x00000000", "0xffffffff"]));
  });

  it("gives the Diamond its base facets, DiamondInit.init() and the deployer as first owner", () => {
    const deps = Object.fromEntries(dependenciesOf("Diamond").map((d) => [d, addr()]));
    const deployer = addr();
    const code = creationCode("Diamond", deps, deployer).toLowerCase();
    for (const a of [deployer, ...Object.values(deps)]) expect(code).toContain(a.slice(2).toLowerCase());
    expect(code).toContain("e1c7392a"); // init()
    expect(code).toContain("1f931c1c"); // diamondCut
  });
});

describe("chain.json for the iexec SDK", () => {
  it("has exactly the SDK's keys, a decimal string id, and loopback dummies for unused services", () => {
    const hub = addr();
    const json = JSON.parse(renderIexecChainJson({ name: "home", chainId: 31337, host: "http://127.0.0.1:8545", hub, services: { sms: "http://sms.internal:5000" } }));
    expect(json).toEqual({
      default: "home",
      chains: { home: { id: "31337", host: "http://127.0.0.1:8545", hub, ...DUMMY_SERVICES, sms: "http://sms.internal:5000" } },
    });
    for (const url of Object.values(DUMMY_SERVICES)) expect(new URL(url).hostname).toBe("127.0.0.1");
  });
});
