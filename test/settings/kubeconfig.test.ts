// settings/kubernetes.ts through parseConsortiumSpec: `consortium:kubeconfig` (a secret: the kubeconfig file's text)
// and `consortium:kubeContext`. Every refusal names its field and the fix; a flattened kubeconfig, YAML or JSON,
// passes; the spec keeps that a kubeconfig is given and its context, never a byte of the kubeconfig itself, and no
// message quotes it.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { SpecError, SpecIssue } from "../../settings/errors";
import { parseCluster } from "../../settings/kubernetes";
import { KNOWN_KEYS, parseConsortiumSpec } from "../../settings/parse";
import { CHAIN_SETTINGS } from "../../lib/ceremony/params";

type Raw = Record<string, unknown>;

/** Credential-like markers: none may ever leave the kubeconfig (spec, messages). */
const TOKEN = "MARKER-TOKEN-7f3a9c";
const CA_DATA = Buffer.from("MARKER-CA-CERTIFICATE").toString("base64");
const CLIENT_KEY_DATA = Buffer.from("MARKER-CLIENT-KEY").toString("base64");
const SERVER = "https://10.20.30.40:6443";
const MARKERS = [TOKEN, CA_DATA, CLIENT_KEY_DATA, SERVER];

/** What `kubectl config view --raw --flatten` prints: two contexts, credentials embedded. */
function kubeconfig(change: (k: any) => void = () => {}): any {
  const k: any = {
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    "current-context": "prod",
    clusters: [
      { name: "prod-cluster", cluster: { server: SERVER, "certificate-authority-data": CA_DATA } },
      { name: "staging-cluster", cluster: { server: "https://10.20.30.41:6443", "certificate-authority-data": CA_DATA } },
    ],
    contexts: [
      { name: "prod", context: { cluster: "prod-cluster", user: "deployer", namespace: "default" } },
      { name: "staging", context: { cluster: "staging-cluster", user: "robot" } },
    ],
    users: [
      { name: "deployer", user: { "client-certificate-data": CA_DATA, "client-key-data": CLIENT_KEY_DATA } },
      { name: "robot", user: { token: TOKEN } },
    ],
  };
  change(k);
  return k;
}
const yamlText = (change?: (k: any) => void) => stringify(kubeconfig(change));

function base(overrides: Raw = {}): Raw {
  return {
    name: "acme",
    chainId: 31415,
    authorities: [
      { name: "alpha", member: "org-a" },
      { name: "beta", member: "org-b" },
    ],
    fleet: { target: "kubernetes", namespace: "acme-chain" },
    ...overrides,
  };
}

/** The issues of a refused configuration (throws if it is accepted). */
function issues(raw: Raw, kubeconfigText?: unknown): SpecIssue[] {
  try {
    parseConsortiumSpec(raw, kubeconfigText === undefined ? {} : { kubeconfig: kubeconfigText });
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    const text = (err as SpecError).message;
    for (const m of MARKERS) expect(text, "a message quotes the kubeconfig").not.toContain(m);
    return (err as SpecError).issues;
  }
  throw new Error("expected a SpecError");
}

/** The one issue of a refused configuration: its field, what and fix. */
function refusal(raw: Raw, kubeconfigText?: unknown): SpecIssue {
  const found = issues(raw, kubeconfigText);
  expect(found, JSON.stringify(found)).toHaveLength(1);
  return found[0];
}

const EMBED = "embed them: kubectl config view --raw --flatten";
const SET = `pulumi config set --secret consortium:kubeconfig "$(kubectl config view --raw --flatten)"`;
const plain = (spec: unknown) => JSON.stringify(spec, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

describe("consortium:kubeconfig and consortium:kubeContext: accepted", () => {
  it("takes a flattened kubeconfig (YAML) and keeps only that one is given: never its text", () => {
    const text = yamlText();
    const spec = parseConsortiumSpec(base(), { kubeconfig: text });
    expect(spec.cluster).toEqual({ kubeconfig: true });
    const json = plain(spec);
    for (const m of [...MARKERS, "prod-cluster", "client-key-data", "current-context"]) expect(json).not.toContain(m);
  });

  it("takes the same kubeconfig as JSON, and a kubeContext naming one of its contexts", () => {
    const spec = parseConsortiumSpec(base({ kubeContext: "staging" }), { kubeconfig: JSON.stringify(kubeconfig()) });
    expect(spec.cluster).toEqual({ kubeconfig: true, context: "staging" });
    for (const m of MARKERS) expect(plain(spec)).not.toContain(m);
  });

  it("takes a kubeContext when the kubeconfig has no current-context", () => {
    const text = yamlText((k) => delete k["current-context"]);
    expect(parseConsortiumSpec(base({ kubeContext: "prod" }), { kubeconfig: text }).cluster).toEqual({ kubeconfig: true, context: "prod" });
  });

  it("takes a kubeconfig for a Kubernetes worker pool beside a fleet on another target", () => {
    const problems: string[] = [];
    const cluster = parseCluster(yamlText(), undefined, { fleetTarget: "docker", poolTargetKinds: ["ssh", "kubernetes"] }, (f) => problems.push(f));
    expect(problems).toEqual([]);
    expect(cluster).toEqual({ kubeconfig: true });
  });

  it("knows kubeContext as a setting of this stack, never of the consortium (a key ceremony does not copy it)", () => {
    expect(KNOWN_KEYS).not.toContain("kubeContext");
    expect(CHAIN_SETTINGS).not.toContain("kubeContext");
    const typo = refusal(base({ kubecontext: "prod" }), yamlText());
    expect(typo).toEqual({ field: "kubecontext", problem: "is not a known setting", fix: 'rename it to "kubeContext"' });
  });

  it("changes nothing without either setting: no cluster in the spec (the ambient kubeconfig)", () => {
    expect(parseConsortiumSpec(base()).cluster).toBeUndefined();
    expect("cluster" in parseConsortiumSpec(base())).toBe(false);
  });
});

describe("consortium:kubeconfig and consortium:kubeContext: refused with the field and the fix", () => {
  it("refuses both when nothing in the stack runs on Kubernetes", () => {
    const found = issues(base({ fleet: { target: "docker" }, kubeContext: "prod" }), yamlText());
    expect(found.map((i) => i.field)).toEqual(["kubeconfig", "kubeContext"]);
    for (const i of found) {
      expect(i.problem).toMatch(/nothing in this stack runs on Kubernetes \(fleet.target is docker and no worker pool has target.kind kubernetes\)/);
      expect(i.fix).toContain(`pulumi config rm consortium:${i.field}`);
      expect(i.fix).toContain("fleet.target: kubernetes");
    }
    expect(refusal(base({ fleet: { target: "local" } }), yamlText()).field).toBe("kubeconfig");
  });

  it("refuses a kubeContext without a kubeconfig (it never picks a context of the ambient one)", () => {
    const i = refusal(base({ kubeContext: "prod" }));
    expect(i.field).toBe("kubeContext");
    expect(i.problem).toMatch(/is set without consortium:kubeconfig/);
    expect(i.fix).toContain(SET);
  });

  it("refuses text that is neither YAML nor JSON, saying where without quoting it", () => {
    const text = `apiVersion: v1\nusers:\n- name: robot\n  user: {token: ${TOKEN}\n  bad: [`;
    const i = refusal(base(), text);
    expect(i.field).toBe("kubeconfig");
    expect(i.problem).toMatch(/^is not valid YAML or JSON \(\w+ at line \d+, column \d+\)$/);
    expect(i.fix).toContain(SET);
  });

  it("refuses an empty value, a file path, and a document that is no kubeconfig", () => {
    for (const [text, what] of [
      ["", /is empty/],
      ["   ", /is empty/],
      ["~/.kube/config", /is a file path, not a kubeconfig's text/],
      ["/home/ops/.kube/prod.yaml", /is a file path/],
      ["kubeconfig.yaml", /is a file path/],
      ["just some words", /is not a kubeconfig \(a map with clusters, contexts and users\)/],
      ["[1, 2]", /is not a kubeconfig/],
    ] as const) {
      const i = refusal(base(), text);
      expect(i.field, text).toBe("kubeconfig");
      expect(i.problem, text).toMatch(what);
      expect(i.fix, text).toContain(SET);
    }
  });

  it("refuses a kubeconfig without clusters, contexts or users", () => {
    for (const list of ["clusters", "contexts", "users"]) {
      const found = issues(base(), yamlText((k) => delete k[list]));
      const i = found.find((x) => x.problem === `has no ${list}`)!;
      expect(i, JSON.stringify(found)).toBeDefined();
      expect(i.field).toBe("kubeconfig");
      expect(i.fix).toContain(SET);
    }
    const i = refusal(base(), yamlText((k) => (k.users[1] = { name: "robot" })));
    expect(i.problem).toBe("users[1] is not { name, user: {…} }");
  });

  it("refuses a kubeContext that names no context of the kubeconfig, listing those it has", () => {
    const i = refusal(base({ kubeContext: "dev" }), yamlText());
    expect(i.field).toBe("kubeContext");
    expect(i.problem).toBe('"dev" is not a context of the kubeconfig (it has "prod", "staging")');
    expect(i.fix).toMatch(/set one of those, or remove kubeContext/);
    expect(refusal(base({ kubeContext: "" }), yamlText()).problem).toMatch(/is not a context name/);
  });

  it("refuses a kubeconfig without a current-context when no kubeContext is set, or whose current-context is missing", () => {
    const none = refusal(base(), yamlText((k) => delete k["current-context"]));
    expect(none.field).toBe("kubeconfig");
    expect(none.problem).toMatch(/has no current-context, so it names no cluster \(its contexts: "prod", "staging"\)/);
    expect(none.fix).toMatch(/set consortium:kubeContext to one of its contexts/);
    const gone = refusal(base(), yamlText((k) => (k["current-context"] = "old")));
    expect(gone.problem).toMatch(/its current-context "old" is not one of its contexts/);
  });

  it("refuses a kubeconfig whose clusters or users refer to files, naming the entry and the key", () => {
    const cases: [(k: any) => void, string, string, string][] = [
      [(k) => (k.clusters[1].cluster = { server: SERVER, "certificate-authority": "/etc/k8s/ca.crt" }), "cluster", "staging-cluster", "certificate-authority"],
      [(k) => (k.users[0].user = { "client-certificate": "/home/ops/.kube/me.crt", "client-key-data": CLIENT_KEY_DATA }), "user", "deployer", "client-certificate"],
      [(k) => (k.users[0].user = { "client-certificate-data": CA_DATA, "client-key": "/home/ops/.kube/me.key" }), "user", "deployer", "client-key"],
    ];
    for (const [change, kind, name, key] of cases) {
      const i = refusal(base(), yamlText(change));
      expect(i.field, key).toBe("kubeconfig");
      expect(i.problem, key).toBe(`${kind} "${name}" refers to a file (${key}): the stack would depend on a file of one machine`);
      expect(i.fix, key).toBe(EMBED);
    }
    // --flatten embeds certificates and keys, not a token file: that fix says what to do instead.
    const token = refusal(base(), yamlText((k) => (k.users[1].user = { tokenFile: "/var/run/secrets/token" })));
    expect(token.problem).toBe('user "robot" refers to a file (tokenFile): the stack would depend on a file of one machine');
    expect(token.fix).toMatch(/put the token itself in the user's `token` field/);
    // Every file reference at once, in one round.
    const all = issues(base(), yamlText((k) => {
      k.clusters[0].cluster["certificate-authority"] = "/ca";
      k.users[0].user["client-key"] = "/key";
    }));
    expect(all.map((i) => i.problem.split(":")[0])).toEqual(['cluster "prod-cluster" refers to a file (certificate-authority)', 'user "deployer" refers to a file (client-key)']);
  });

  it("refuses a chosen context whose cluster or user the kubeconfig does not hold, or a cluster without a server", () => {
    const user = refusal(base({ kubeContext: "staging" }), yamlText((k) => (k.contexts[1].context.user = "ghost")));
    expect(user.field).toBe("kubeContext");
    expect(user.problem).toBe('context "staging" uses user "ghost", which the kubeconfig does not hold');
    expect(user.fix).toContain(SET);
    const cluster = refusal(base(), yamlText((k) => (k.contexts[0].context.cluster = "gone")));
    expect(cluster.field).toBe("kubeconfig");
    expect(cluster.problem).toBe('context "prod" uses cluster "gone", which the kubeconfig does not hold');
    const server = refusal(base(), yamlText((k) => delete k.clusters[0].cluster.server));
    expect(server.problem).toBe('cluster "prod-cluster" has no server');
  });

  it("reports its problems with the rest of the configuration's, in one round", () => {
    const found = issues(base({ chainId: 1, kubeContext: "dev" }), yamlText());
    expect(found.map((i) => i.field).sort()).toEqual(["chainId", "kubeContext"]);
  });
});
