// settings/parse.ts: every bad input is rejected with the field it concerns, what is wrong and how to fix it;
// good input gets the documented defaults.
import { computeAddress, SigningKey, toBeHex, zeroPadValue } from "ethers";
import { describe, expect, it } from "vitest";
import { SpecError, SpecIssue } from "../../settings/errors";
import { DEFAULTS, MAX_LOCAL_NODES, MIN_SCRYPT_N, parseConsortiumSpec } from "../../settings/parse";

type Raw = Record<string, unknown>;

// Fixed keys: deterministic addresses and node public keys.
const signingKey = (i: number) => new SigningKey(zeroPadValue(toBeHex(0x1000 + i), 32));
/** Checksummed (EIP-55) address number i. */
const addr = (i: number) => computeAddress(signingKey(i).publicKey);
/** 128 hex digits, uncompressed secp256k1 point without the 04 prefix. */
const nodeKey = (i: number) => signingKey(500 + i).publicKey.slice(4);

/** parity-deploy's pre-funded account, whose keystore (empty password) is public. */
const PARITY_DEPLOY_ACCOUNT = "0x00Ea169ce7e0992960D3BdE6F5D539C955316432";
const HARDHAT_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

function base(overrides: Raw = {}): Raw {
  return {
    name: "acme",
    chainId: 31415,
    authorities: [
      { name: "alpha", member: "org-a" },
      { name: "beta", member: "org-b" },
    ],
    ...overrides,
  };
}

function external(i: number, extra: Raw = {}): Raw {
  return { address: addr(i), nodePublicKey: nodeKey(i), ...extra };
}

/** Flips the case of the first letter a–f after "0x" so the EIP-55 checksum no longer matches. */
function breakChecksum(address: string): string {
  const i = address.slice(2).search(/[a-fA-F]/) + 2;
  const c = address[i]!;
  const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
  return address.slice(0, i) + flipped + address.slice(i + 1);
}

function rejects(raw: Raw): SpecError {
  try {
    parseConsortiumSpec(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return err as SpecError;
  }
  throw new Error(`expected a SpecError for ${JSON.stringify(raw)}`);
}

const manyAuthorities = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `n${i}`, member: "org" }));

interface Case {
  what: string;
  raw: Raw;
  field: string;
  problem: string;
  fix: string;
  /** Total issues expected (1 unless the input also trips a second rule on purpose). */
  count?: number;
}

const CASES: Case[] = [
  // --- authorities
  {
    what: "duplicate authority names",
    raw: base({ authorities: [{ name: "alpha", member: "a" }, { name: "alpha", member: "b" }] }),
    field: "authorities[1].name",
    problem: '"alpha" is used by another authority',
    fix: "unique name",
  },
  {
    what: "duplicate external signer addresses",
    raw: base({
      authorities: [
        { name: "alpha", member: "a", external: external(1) },
        { name: "beta", member: "b", external: { address: addr(1).toLowerCase(), nodePublicKey: nodeKey(2) } },
      ],
    }),
    field: "authorities[1].external.address",
    problem: "is also the address of authorities[0]",
    fix: "its own signer key",
  },
  {
    what: "duplicate external node keys",
    raw: base({
      authorities: [
        { name: "alpha", member: "a", external: external(1) },
        { name: "beta", member: "b", external: { address: addr(2), nodePublicKey: nodeKey(1).toUpperCase() } },
      ],
    }),
    field: "authorities[1].external.nodePublicKey",
    problem: "is also the node key of authorities[0]",
    fix: "its own devp2p key",
  },
  {
    what: "bad EIP-55 checksum",
    raw: base({ authorities: [{ name: "alpha", member: "a", external: external(1, { address: breakChecksum(addr(1)) }) }] }),
    field: "authorities[0].external.address",
    problem: "wrong EIP-55 checksum",
    fix: "all lower-case",
  },
  {
    what: "malformed address (39 hex digits)",
    raw: base({ authorities: [{ name: "alpha", member: "a", external: external(1, { address: addr(1).slice(0, -1) }) }] }),
    field: "authorities[0].external.address",
    problem: "is not a 20-byte hex address",
    fix: "0x followed by 40 hex digits",
  },
  {
    what: "nodePublicKey not on the curve",
    raw: base({
      authorities: [{ name: "alpha", member: "a", external: external(1, { nodePublicKey: nodeKey(1).slice(0, 126) + (nodeKey(1).endsWith("00") ? "01" : "00") }) }],
    }),
    field: "authorities[0].external.nodePublicKey",
    problem: "is not a point on secp256k1",
    fix: "copy the enode id again",
  },
  {
    what: "nodePublicKey of the wrong length (compressed, 33 bytes)",
    raw: base({ authorities: [{ name: "alpha", member: "a", external: external(1, { nodePublicKey: signingKey(501).compressedPublicKey }) }] }),
    field: "authorities[0].external.nodePublicKey",
    problem: "is not a 64-byte node public key",
    fix: "128 hex digits of the enode id",
  },
  {
    what: "external without nodePublicKey",
    raw: base({ authorities: [{ name: "alpha", member: "a", external: { address: addr(1) } }] }),
    field: "authorities[0].external.nodePublicKey",
    problem: "(missing) is not a 64-byte node public key",
    fix: "128 hex digits",
  },
  {
    what: "endpoint without a port",
    raw: base({ authorities: [{ name: "alpha", member: "a", external: external(1, { endpoint: "node1.acme.example" }) }] }),
    field: "authorities[0].external.endpoint",
    problem: '"node1.acme.example" is not host:port',
    fix: "node1.acme.example:30303",
  },
  {
    what: "endpoint with a port above 65535",
    raw: base({ authorities: [{ name: "alpha", member: "a", external: external(1, { endpoint: "10.0.0.1:70000" }) }] }),
    field: "authorities[0].external.endpoint",
    problem: "is not host:port with a port from 1 to 65535",
    fix: "reachable p2p endpoint",
  },
  {
    what: "endpoint with port 0",
    raw: base({ authorities: [{ name: "alpha", member: "a", external: external(1, { endpoint: "10.0.0.1:0" }) }] }),
    field: "authorities[0].external.endpoint",
    problem: "is not host:port with a port from 1 to 65535",
    fix: "reachable p2p endpoint",
  },
  {
    what: "zero authorities",
    raw: base({ authorities: [] }),
    field: "authorities",
    problem: "must list at least one authority",
    fix: "list the sealing nodes",
  },
  {
    what: "missing authorities",
    raw: base({ authorities: undefined }),
    field: "authorities",
    problem: "is missing",
    fix: "list the sealing nodes",
  },
  {
    what: "non-DNS authority name (upper case, underscore)",
    raw: base({ authorities: [{ name: "Alpha_1", member: "a" }] }),
    field: "authorities[0].name",
    problem: '"Alpha_1" is not a valid authority name',
    fix: "lower-case letters, digits and '-'",
  },
  {
    what: "authority name longer than 32 characters",
    raw: base({ authorities: [{ name: "a".repeat(33), member: "a" }] }),
    field: "authorities[0].name",
    problem: "is not a valid authority name",
    fix: "1-32 lower-case letters",
  },
  {
    what: "authority without member",
    raw: base({ authorities: [{ name: "alpha", member: "  " }] }),
    field: "authorities[0].member",
    problem: "is not a member name",
    fix: "name the organisation",
  },
  {
    what: "misspelt authority setting",
    raw: base({ authorities: [{ name: "alpha", member: "a", externel: external(1) }] }),
    field: "authorities[0].externel",
    problem: "is not a known authority setting",
    fix: "known: name, member, external",
  },
  {
    what: "too many local nodes (32 authorities + the RPC node)",
    raw: base({ authorities: manyAuthorities(MAX_LOCAL_NODES) }),
    field: "authorities",
    problem: "33 local nodes exceed the 32",
    fix: "split the fleet",
  },
  // --- chain parameters
  {
    what: "non-DNS consortium name",
    raw: base({ name: "Acme Chain" }),
    field: "name",
    problem: '"Acme Chain" is not a valid consortium name',
    fix: "lower-case letters",
  },
  {
    what: "missing chainId",
    raw: base({ chainId: undefined }),
    field: "chainId",
    problem: "is missing",
    fix: "pick an unused id",
  },
  {
    what: "chainId 0",
    raw: base({ chainId: 0 }),
    field: "chainId",
    problem: "0 is not an integer from 1 to 4294967295",
    fix: "pick an unused id",
  },
  {
    what: "chainId 1 (Ethereum mainnet)",
    raw: base({ chainId: 1 }),
    field: "chainId",
    problem: "1 is the chain id of Ethereum mainnet",
    fix: "allowPublicChainId: true",
  },
  {
    what: "chainId 11155111 (Sepolia)",
    raw: base({ chainId: 11155111 }),
    field: "chainId",
    problem: "11155111 is the chain id of Sepolia; transactions signed there would replay",
    fix: "pick an unused chain id",
  },
  {
    what: "chainId 17000 (Holesky) given as a config string",
    raw: base({ chainId: "17000" }),
    field: "chainId",
    problem: "17000 is the chain id of Holesky",
    fix: "allowPublicChainId: true",
  },
  {
    what: "allowPublicChainId that is not a boolean",
    raw: base({ allowPublicChainId: "yes" }),
    field: "allowPublicChainId",
    problem: '"yes" is not a boolean',
    fix: "set true or false",
  },
  {
    what: "networkId 0",
    raw: base({ networkId: 0 }),
    field: "networkId",
    problem: "0 is not an integer",
    fix: "usually equal to chainId",
  },
  {
    what: "blockPeriodSeconds 0",
    raw: base({ blockPeriodSeconds: 0 }),
    field: "blockPeriodSeconds",
    problem: "0 is not an integer from 1 to 3600",
    fix: "seal only on demand",
  },
  {
    what: "fractional blockPeriodSeconds",
    raw: base({ blockPeriodSeconds: 1.5 }),
    field: "blockPeriodSeconds",
    problem: "1.5 is not an integer",
    fix: "whole number of seconds",
  },
  {
    what: "epochLength 0",
    raw: base({ epochLength: 0 }),
    field: "epochLength",
    problem: "0 is not an integer",
    fix: "30000 is customary",
  },
  {
    what: "gasLimit below 5000",
    raw: base({ gasLimit: 4999 }),
    field: "gasLimit",
    problem: "4999 is below the protocol minimum of 5000 gas",
    fix: "use at least 5000",
  },
  {
    what: "gasLimit beyond 63 bits",
    raw: base({ gasLimit: (2n ** 63n).toString() }),
    field: "gasLimit",
    problem: "does not fit in 63 bits",
    fix: "below 9223372036854775807",
  },
  {
    what: "gasLimit as an unsafe JS number",
    raw: base({ gasLimit: 1e30 }),
    field: "gasLimit",
    problem: "is not a non-negative integer",
    fix: "quote large values",
  },
  {
    what: "engine unknown",
    raw: base({ engine: "pow" }),
    field: "engine",
    problem: '"pow" is not one of clique, aura, qbft',
    fix: "use one of: clique, aura, qbft",
  },
  {
    what: "engine aura with the local target (its default client is Nethermind)",
    raw: base({ engine: "aura" }),
    field: "fleet.target",
    problem: "the local target runs geth processes, not nethermind",
    fix: 'use target "docker" or "kubernetes" for other clients',
  },
  {
    what: "Besu with AuRa",
    raw: base({ engine: "aura", client: "besu", fleet: { target: "docker" } }),
    field: "client",
    problem: "besu cannot seal aura blocks (besu runs qbft)",
    fix: 'use client "nethermind" or "openethereum" for aura, or engine "qbft" for besu',
  },
  {
    what: "geth with QBFT",
    raw: base({ engine: "qbft", client: "geth" }),
    field: "client",
    problem: "geth cannot seal qbft blocks (geth runs clique)",
    fix: 'use client "besu" for qbft, or engine "clique" for geth',
  },
  {
    what: "OpenEthereum with Clique",
    raw: base({ client: "openethereum", fleet: { target: "kubernetes" } }),
    field: "client",
    problem: "openethereum cannot seal clique blocks",
    fix: 'use client "geth" or "nethermind" for clique',
  },
  {
    what: "unknown client",
    raw: base({ client: "erigon" }),
    field: "client",
    problem: '"erigon" is not one of geth, nethermind, openethereum, besu',
    fix: "use one of: geth, nethermind, openethereum, besu",
  },
  {
    what: "Besu with Shanghai",
    raw: base({ engine: "qbft", forkLevel: "shanghai", fleet: { target: "docker" } }),
    field: "forkLevel",
    problem: "the deployer renders PoA chains up to London",
    fix: 'set forkLevel to "london"',
  },
  {
    what: "forkLevel shanghai",
    raw: base({ forkLevel: "shanghai" }),
    field: "forkLevel",
    problem: '"shanghai" is later than London',
    fix: 'set forkLevel to "london"',
  },
  {
    what: "forkLevel cancun",
    raw: base({ forkLevel: "cancun" }),
    field: "forkLevel",
    problem: "geth 1.13.15 (the last release that seals Clique)",
    fix: 'set forkLevel to "london" and compile contracts for london or paris',
  },
  {
    what: "forkLevel below istanbul (petersburg)",
    raw: base({ forkLevel: "petersburg" }),
    field: "forkLevel",
    problem: '"petersburg" lacks the CHAINID opcode',
    fix: 'use "istanbul" or later, up to "london"',
  },
  {
    what: "forkLevel misspelt",
    raw: base({ forkLevel: "London" }),
    field: "forkLevel",
    problem: '"London" is not one of homestead',
    fix: "use one of:",
  },
  // --- unknown keys
  {
    what: "case typo of a top-level key (chainid)",
    raw: { name: "acme", chainid: 31415, authorities: [{ name: "alpha", member: "a" }] },
    field: "chainid",
    problem: "is not a known setting",
    fix: 'rename it to "chainId"',
    count: 2, // chainId is then missing as well
  },
  {
    what: "unknown top-level key",
    raw: base({ blockTime: 5 }),
    field: "blockTime",
    problem: "is not a known setting",
    fix: "remove it; known settings: name, chainId",
  },
  // --- keys
  {
    what: "scryptN not a power of two",
    raw: base({ scryptN: 300000 }),
    field: "scryptN",
    problem: "300000 is not a power of two",
    fix: "262144 (2^18)",
  },
  {
    what: "scryptN below 2^17 outside dev",
    raw: base({ scryptN: 2 ** 16 }),
    field: "scryptN",
    problem: "65536 is below the minimum 131072 for non-dev stacks",
    fix: "use at least 131072",
  },
  {
    what: "scryptN above 2^20",
    raw: base({ scryptN: 2 ** 21 }),
    field: "scryptN",
    problem: "2097152 is not an integer from 1 to 1048576",
    fix: "power of two up to 1048576",
  },
  {
    what: "scryptN below the dev floor even in dev",
    raw: base({ dev: true, scryptN: 2 ** 9 }),
    field: "scryptN",
    problem: "512 is below the minimum 1024 for dev stacks",
    fix: "use at least 1024",
  },
  // --- accounts
  {
    what: "dev not a boolean",
    raw: base({ dev: "yes" }),
    field: "dev",
    problem: '"yes" is not a boolean',
    fix: "set true or false",
  },
  {
    what: "devAccountBalanceWei outside dev",
    raw: base({ devAccountBalanceWei: "1000" }),
    field: "devAccountBalanceWei",
    problem: "only allowed in dev stacks",
    fix: "fund configured accounts through prefunded",
  },
  {
    what: "parity-deploy's public account prefunded outside dev",
    raw: base({ prefunded: [{ address: PARITY_DEPLOY_ACCOUNT, balanceWei: "1606938044258990275541962092341162602522202993782792835301376" }] }),
    field: "prefunded[0].address",
    problem: `${PARITY_DEPLOY_ACCOUNT} is the parity-deploy dev account, whose private key is public`,
    fix: "fund an account whose key only you hold",
  },
  {
    what: "Hardhat account #0 prefunded outside dev (written lower-case)",
    raw: base({ prefunded: [{ address: HARDHAT_0.toLowerCase(), balanceWei: 1 }] }),
    field: "prefunded[0].address",
    problem: "Hardhat/Anvil account #0, whose private key is public",
    fix: "whose key only you hold",
  },
  {
    what: "duplicate prefunded account (different case)",
    raw: base({ prefunded: [{ address: addr(7), balanceWei: 1 }, { address: addr(7).toLowerCase(), balanceWei: 2 }] }),
    field: "prefunded[1].address",
    problem: "is listed twice",
    fix: "merge the two entries",
  },
  {
    what: "prefunded balance in float notation",
    raw: base({ prefunded: [{ address: addr(7), balanceWei: "1e18" }] }),
    field: "prefunded[0].balanceWei",
    problem: '"1e18" is not a non-negative integer',
    fix: "quote large values",
  },
  {
    what: "negative prefunded balance",
    raw: base({ prefunded: [{ address: addr(7), balanceWei: -1 }] }),
    field: "prefunded[0].balanceWei",
    problem: "-1 is not a non-negative integer",
    fix: "decimal or 0x-hex integer",
  },
  {
    what: "prefunded not a list",
    raw: base({ prefunded: { address: addr(7), balanceWei: 1 } }),
    field: "prefunded",
    problem: "is not a list",
    fix: "write [{ address:",
  },
  // --- fleet
  {
    what: "external keyDir that is not a path",
    raw: base({ authorities: [{ name: "alpha", member: "org-a", external: external(1, { keyDir: "" }) }] }),
    field: "authorities[0].external.keyDir",
    problem: "is not a directory path",
    fix: "npm run ceremony -- contribute --out",
  },
  {
    what: "unknown setting of an external authority",
    raw: base({ authorities: [{ name: "alpha", member: "org-a", external: external(1, { privateKey: "0x01" }) }] }),
    field: "authorities[0].external.privateKey",
    problem: "is not a known setting of an external authority",
    fix: "known: address, nodePublicKey, endpoint, keyDir",
  },
  {
    what: "an authority named like the RPC node",
    raw: base({ authorities: [{ name: "rpc", member: "org-a" }] }),
    field: "authorities[0].name",
    problem: "\"rpc\" is the name of the fleet's RPC node",
    fix: "give the authority another name",
  },
  {
    what: "fleet.target unknown",
    raw: base({ fleet: { target: "nomad" } }),
    field: "fleet.target",
    problem: '"nomad" is not a target',
    fix: 'use "local", "docker" or "kubernetes"',
  },
  {
    what: "docker host for a member that does not exist",
    raw: base({ fleet: { target: "docker", hosts: { "org-z": { url: "ssh://deploy@h", address: "h" } } } }),
    field: "fleet.hosts.org-z",
    problem: '"org-z" is not a member of any authority',
    fix: "use one of: org-a, org-b",
  },
  {
    what: "docker host with an http URL",
    raw: base({ fleet: { target: "docker", hosts: { "org-a": { url: "http://h:2375", address: "h" } } } }),
    field: "fleet.hosts.org-a.url",
    problem: "is not a Docker host URL",
    fix: 'write "ssh://user@host"',
  },
  {
    what: "image without a tag",
    raw: base({ fleet: { target: "docker", images: { geth: "ethereum/client-go" } } }),
    field: "fleet.images.geth",
    problem: "is not a pinned image reference",
    fix: "repository:tag or repository@sha256:digest",
  },
  {
    what: "image for an unknown client",
    raw: base({ fleet: { target: "kubernetes", images: { reth: "x/reth:1" } } }),
    field: "fleet.images.reth",
    problem: "is not a client",
    fix: "use one of: geth, nethermind, openethereum, besu",
  },
  {
    what: "kubernetes storage size that is not a quantity",
    raw: base({ fleet: { target: "kubernetes", storageSize: "20 GB" } }),
    field: "fleet.storageSize",
    problem: "is not a Kubernetes quantity",
    fix: 'write e.g. "20Gi"',
  },
  {
    what: "kubernetes namespace that is not a DNS label",
    raw: base({ fleet: { target: "kubernetes", namespace: "Consortium_NS" } }),
    field: "fleet.namespace",
    problem: "is not a namespace name",
    fix: "lower-case letters",
  },
  {
    what: "fleet.verbosity 9",
    raw: base({ fleet: { verbosity: 9 } }),
    field: "fleet.verbosity",
    problem: "9 is not an integer from 0 to 5",
    fix: "0 (silent) to 5 (trace)",
  },
  {
    what: "fleet.rpcNode not a boolean",
    raw: base({ fleet: { rpcNode: "no" } }),
    field: "fleet.rpcNode",
    problem: '"no" is not a boolean',
    fix: "set true or false",
  },
  {
    what: "empty fleet.workDir",
    raw: base({ fleet: { workDir: "" } }),
    field: "fleet.workDir",
    problem: "is not a directory path",
    fix: "relative to the stack folder",
  },
  {
    what: "unknown fleet setting",
    raw: base({ fleet: { replicas: 3 } }),
    field: "fleet.replicas",
    problem: "is not a known setting of the local target",
    fix: "known: target, rpcNode, verbosity, workDir",
  },
  // --- monitoring
  {
    what: "a monitor image without a tag",
    raw: base({ fleet: { target: "docker" }, monitoring: { image: "consortium-deployer/monitor" } }),
    field: "monitoring.image",
    problem: "is not a pinned image reference",
    fix: "repository:tag or repository@sha256:digest",
  },
  {
    what: "a monitor image tagged latest",
    raw: base({ fleet: { target: "docker" }, monitoring: { image: "consortium-deployer/monitor:latest" } }),
    field: "monitoring.image",
    problem: "is not a pinned image reference",
    fix: 'never "latest"',
  },
  {
    what: "monitoring without an RPC node to read",
    raw: base({ fleet: { target: "local", rpcNode: false }, monitoring: {} }),
    field: "monitoring",
    problem: "fleet.rpcNode is false",
    fix: "set fleet.rpcNode: true",
    count: 1,
  },
  {
    what: "PoCo on Kubernetes without a home URL the deployer reaches",
    raw: base({ fleet: { target: "kubernetes", namespace: "chain" }, poco: { admin: "0x00000000000000000000000000000000000000a1", token: "0x00000000000000000000000000000000000000b2" } }),
    field: "poco",
    problem: "on the kubernetes target the fleet's RPC endpoints are in-cluster Service names",
    fix: "bridge.home.rpcUrl",
    count: 1,
  },
  {
    what: "AuRa's permission contract on Kubernetes without a home URL the deployer reaches",
    raw: base({
      engine: "aura",
      fleet: { target: "kubernetes", namespace: "chain" },
      permissions: { transact: ["0x00000000000000000000000000000000000000A1"], deploy: [], owner: "0x00000000000000000000000000000000000000A1" },
    }),
    field: "permissions",
    problem: "on the kubernetes target the fleet's RPC endpoints are in-cluster Service names",
    fix: "svc/gateway-<member> with permissions",
    count: 1,
  },
  {
    what: "misspelt monitoring setting",
    raw: base({ monitoring: { windowBlock: 10 } }),
    field: "monitoring.windowBlock",
    problem: "is not a known setting",
    fix: "known: windowBlocks, backlogBlocks, minValidatorGasEther",
  },
  {
    what: "a gas threshold that is not an amount",
    raw: base({ monitoring: { minValidatorGasEther: "0.1 ETH" } }),
    field: "monitoring.minValidatorGasEther",
    problem: '"0.1 ETH" is not a positive amount in ether units',
    fix: "write a decimal such as 0.05",
  },
  {
    what: "a gas threshold of zero",
    raw: base({ monitoring: { minValidatorGasEther: 0 } }),
    field: "monitoring.minValidatorGasEther",
    problem: "0 is not a positive amount in ether units",
    fix: "write a decimal such as 0.05",
  },
  {
    what: "monitoring window of one block",
    raw: base({ monitoring: { windowBlocks: 1 } }),
    field: "monitoring.windowBlocks",
    problem: "1 is not an integer from 2 to 10000",
    fix: "whole number from 2 to 10000",
  },
];

describe("parseConsortiumSpec rejects bad input", () => {
  it("has a large, distinct table of cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    expect(new Set(CASES.map((c) => c.what)).size).toBe(CASES.length);
  });

  it.each(CASES)("$what → consortium:$field", ({ raw, field, problem, fix, count }) => {
    const err = rejects(raw);
    const matching = err.issues.filter((i) => i.field === field);
    expect(matching, `issues: ${JSON.stringify(err.issues, null, 1)}`).toHaveLength(1);
    const issue = matching[0]!;
    expect(issue.problem).toContain(problem);
    expect(issue.fix).toContain(fix);
    expect(err.issues).toHaveLength(count ?? 1);
    // The operator sees one line per issue: consortium:<field>: <problem>. Fix: <fix>.
    expect(err.message).toContain(`  - consortium:${field}: ${issue.problem}. Fix: ${issue.fix}.`);
    for (const i of err.issues) {
      // No doubled punctuation in the rendered line, and nothing empty.
      expect(i.problem.trim()).not.toBe("");
      expect(i.fix.trim()).not.toBe("");
      expect(i.problem).not.toMatch(/\.$/);
      expect(i.fix).not.toMatch(/\.$/);
    }
  });
});

describe("parseConsortiumSpec reports every problem at once", () => {
  it("lists all issues in one error, one line each, in input order", () => {
    const err = rejects({
      name: "Bad Name",
      chainId: 1,
      blockPeriodSeconds: 0,
      gasLimit: 100,
      forkLevel: "shanghai",
      authorities: [
        { name: "alpha", member: "a" },
        { name: "alpha", member: "b" },
      ],
      prefunded: [{ address: PARITY_DEPLOY_ACCOUNT, balanceWei: 1 }],
      scryptN: 1000,
      fleet: { target: "swarm", verbosity: 9 },
      chainid: 5,
    });
    const fields = err.issues.map((i: SpecIssue) => i.field);
    expect(fields).toEqual([
      "chainid",
      "name",
      "chainId",
      "blockPeriodSeconds",
      "gasLimit",
      "forkLevel",
      "authorities[1].name",
      "prefunded[0].address",
      "scryptN",
      "fleet.target",
    ]);
    expect(err.message.split("\n")[0]).toBe("invalid consortium configuration (10 problems):");
    const lines = err.message.split("\n").slice(1);
    expect(lines).toHaveLength(10);
    for (const [n, line] of lines.entries()) {
      expect(line).toMatch(new RegExp(`^  - consortium:${fields[n]!.replace(/[[\].]/g, "\\$&")}: .+\\. Fix: .+\\.$`));
    }
  });

  it("says 'problem' in the singular for one issue", () => {
    expect(rejects(base({ gasLimit: 1 })).message).toMatch(/^invalid consortium configuration \(1 problem\):\n/);
  });
});

describe("parseConsortiumSpec accepts good input", () => {
  it("runs the monitor when asked, with its defaults; not otherwise", () => {
    const image = "consortium-deployer/monitor:0.1.0";
    expect(parseConsortiumSpec(base({ monitoring: {} })).monitoring).toEqual({ windowBlocks: 64, backlogBlocks: 20, minValidatorGasEther: "0.05", image });
    expect(parseConsortiumSpec(base({ monitoring: { backlogBlocks: 5, minValidatorGasEther: 1.5 } })).monitoring).toEqual({ windowBlocks: 64, backlogBlocks: 5, minValidatorGasEther: "1.5", image });
    expect(parseConsortiumSpec(base({ fleet: { target: "docker" }, monitoring: { image: "registry.example/monitor@sha256:" + "ab".repeat(32) } })).monitoring?.image).toBe("registry.example/monitor@sha256:" + "ab".repeat(32));
    expect(parseConsortiumSpec(base({ monitoring: { minValidatorGasEther: "0.25" } })).monitoring?.minValidatorGasEther).toBe("0.25");
    expect(parseConsortiumSpec(base({ monitoring: false })).monitoring).toBeUndefined();
    expect(parseConsortiumSpec(base()).monitoring).toBeUndefined();
  });

  it("fills in the documented defaults for a minimal input", () => {
    const spec = parseConsortiumSpec(base());
    expect(spec).toEqual({
      name: "acme",
      chainId: 31415,
      networkId: 31415,
      engine: "clique",
      client: "geth",
      blockPeriodSeconds: 5,
      epochLength: 30000,
      gasLimit: 30_000_000n,
      forkLevel: "london",
      authorities: [
        { name: "alpha", member: "org-a" },
        { name: "beta", member: "org-b" },
      ],
      prefunded: [],
      keys: { scryptN: 2 ** 18 },
      dev: false,
      fleet: { target: "local", rpcNode: true, verbosity: 3 },
    });
    expect(spec.devAccountBalanceWei).toBeUndefined();
    expect(DEFAULTS.scryptN).toBe(262144);
    expect(MIN_SCRYPT_N).toBe(131072);
  });

  it("keeps an explicit networkId apart from chainId and reads numeric strings (as Pulumi config gives them)", () => {
    const spec = parseConsortiumSpec(base({ chainId: "31415", networkId: "7", blockPeriodSeconds: "2", gasLimit: "0x1c9c380", epochLength: "100" }));
    expect(spec.chainId).toBe(31415);
    expect(spec.networkId).toBe(7);
    expect(spec.blockPeriodSeconds).toBe(2);
    expect(spec.epochLength).toBe(100);
    expect(spec.gasLimit).toBe(30_000_000n);
  });

  it("accepts gasLimit exactly 5000 and istanbul/berlin fork levels", () => {
    expect(parseConsortiumSpec(base({ gasLimit: 5000 })).gasLimit).toBe(5000n);
    expect(parseConsortiumSpec(base({ forkLevel: "istanbul" })).forkLevel).toBe("istanbul");
    expect(parseConsortiumSpec(base({ forkLevel: "berlin" })).forkLevel).toBe("berlin");
  });

  it.each([1, 11155111, 17000])("accepts public chain id %i with allowPublicChainId: true", (chainId) => {
    const spec = parseConsortiumSpec(base({ chainId, allowPublicChainId: true }));
    expect(spec.chainId).toBe(chainId);
    expect(spec.networkId).toBe(chainId);
  });

  it("keeps big balances given as strings exact", () => {
    const twoTo200 = "1606938044258990275541962092341162602522202993782792835301376";
    const spec = parseConsortiumSpec(
      base({
        prefunded: [
          { address: addr(7), balanceWei: twoTo200 },
          { address: addr(8).toLowerCase(), balanceWei: "0xffffffffffffffffffffffffffffffffffffffff" },
          { address: addr(9), balanceWei: 12345 },
        ],
      }),
    );
    expect(spec.prefunded).toEqual([
      { address: addr(7), balanceWei: 2n ** 200n },
      { address: addr(8), balanceWei: 2n ** 160n - 1n }, // normalised to the checksummed form
      { address: addr(9), balanceWei: 12345n },
    ]);
    expect(spec.prefunded[0]!.balanceWei.toString()).toBe(twoTo200);
  });

  it("accepts external authorities, normalising address and node key", () => {
    const spec = parseConsortiumSpec(
      base({
        authorities: [
          { name: "alpha", member: "a" },
          { name: "beta", member: "b", external: { address: addr(3).toLowerCase(), nodePublicKey: "0x" + nodeKey(3).toUpperCase(), endpoint: "node1.acme.example:30303" } },
        ],
      }),
    );
    expect(spec.authorities[1]).toEqual({
      name: "beta",
      member: "b",
      external: { address: addr(3), nodePublicKey: nodeKey(3), endpoint: "node1.acme.example:30303" },
    });
  });

  it("accepts exactly 32 local nodes (31 authorities + RPC node, or 32 without it)", () => {
    expect(parseConsortiumSpec(base({ authorities: manyAuthorities(31) })).authorities).toHaveLength(31);
    const spec = parseConsortiumSpec(base({ authorities: manyAuthorities(32), fleet: { rpcNode: false } }));
    expect(spec.fleet.rpcNode).toBe(false);
  });

  it("allows weak scrypt, a dev account and publicly known accounts in dev stacks only", () => {
    const raw = base({ dev: true, scryptN: 2 ** 10, prefunded: [{ address: PARITY_DEPLOY_ACCOUNT, balanceWei: 1 }] });
    const spec = parseConsortiumSpec(raw);
    expect(spec.dev).toBe(true);
    expect(spec.keys.scryptN).toBe(1024);
    expect(spec.devAccountBalanceWei).toBe(10n ** 24n);
    expect(spec.prefunded[0]!.address).toBe(PARITY_DEPLOY_ACCOUNT);
    expect(parseConsortiumSpec(base({ dev: true, devAccountBalanceWei: "5" })).devAccountBalanceWei).toBe(5n);
    // The same input without dev: both the scrypt cost and the account are refused.
    const err = rejects({ ...raw, dev: false });
    expect(err.issues.map((i) => i.field).sort()).toEqual(["prefunded[0].address", "scryptN"]);
  });

  it("fleet settings pass through", () => {
    const spec = parseConsortiumSpec(base({ fleet: { target: "local", rpcNode: false, verbosity: 0, workDir: "/var/lib/acme" } }));
    expect(spec.fleet).toEqual({ target: "local", rpcNode: false, verbosity: 0, workDir: "/var/lib/acme" });
  });
});
