// The cluster a stack's Kubernetes resources go to: by default the ambient kubeconfig (~/.kube/config, $KUBECONFIG)
// of whoever runs `pulumi up`; with `consortium:kubeconfig` (a secret: the kubeconfig file's text, YAML or JSON) and
// optionally `consortium:kubeContext`, the one cluster that kubeconfig names, whoever runs the stack and wherever.
// Only the kubeconfig's shape is checked here, never kept: the program reads it again as a Pulumi secret where it
// makes the stack's Kubernetes provider (program/cluster.ts). No message below quotes the kubeconfig's content (its
// entries' names only): it holds credentials.
import { parseDocument } from "yaml";
import { isRecord, Report, show } from "./fields";

/** The stack's own cluster, when a kubeconfig is configured. Never its text: that stays a secret of the stack config. */
export interface ClusterSpec {
  /** `consortium:kubeconfig` is set (a Pulumi secret, read again by program/cluster.ts). */
  kubeconfig: true;
  /** `consortium:kubeContext`: the kubeconfig's context to use; absent, its current-context. */
  context?: string;
}

/** How a kubeconfig is given: its whole text, credentials embedded. */
export const SET_KUBECONFIG = `pulumi config set --secret consortium:kubeconfig "$(kubectl config view --raw --flatten)"`;
/** The fix for a kubeconfig that refers to files. */
const EMBED = "embed them: kubectl config view --raw --flatten";

/** Keys of a kubeconfig's cluster and user entries that name files on this machine, with the fix for each. */
const FILE_KEYS: Record<"cluster" | "user", Record<string, string>> = {
  cluster: { "certificate-authority": EMBED },
  user: {
    "client-certificate": EMBED,
    "client-key": EMBED,
    // kubectl's --flatten embeds certificates and keys, not a token file.
    tokenFile: "put the token itself in the user's `token` field (kubectl config view --raw --flatten does not embed token files)",
  },
};

/** What in the stack runs on Kubernetes; undefined where that setting did not parse (its problem is reported). */
export interface KubernetesUse {
  fleetTarget: string | undefined;
  poolTargetKinds: string[] | undefined;
}

/**
 * `consortium:kubeconfig` (secret, raw text) and `consortium:kubeContext` (plain): the cluster, or undefined when
 * neither is set or after reporting every problem (field, what, fix).
 */
export function parseCluster(kubeconfig: unknown, kubeContext: unknown, use: KubernetesUse, problem: Report): ClusterSpec | undefined {
  if (kubeconfig === undefined && kubeContext === undefined) return undefined;
  let ok = true;
  const report: Report = (...args) => {
    ok = false;
    problem(...args);
  };

  const onKubernetes = use.fleetTarget === "kubernetes" || (use.poolTargetKinds ?? []).includes("kubernetes");
  if (!onKubernetes && use.fleetTarget !== undefined && use.poolTargetKinds !== undefined) {
    const why = `is set, but nothing in this stack runs on Kubernetes (fleet.target is ${use.fleetTarget} and no worker pool has target.kind kubernetes)`;
    const fix = 'set fleet.target: kubernetes (or a worker pool\'s target.kind: kubernetes) to use it';
    if (kubeconfig !== undefined) report("kubeconfig", why, `remove it (pulumi config rm consortium:kubeconfig), or ${fix}`);
    if (kubeContext !== undefined) report("kubeContext", why, `remove it (pulumi config rm consortium:kubeContext), or ${fix}`);
    return undefined;
  }

  let context: string | undefined;
  if (kubeContext !== undefined) {
    // Stack config decodes a name such as "1" or "true" into a number or a boolean: it is still that name.
    const name = typeof kubeContext === "number" || typeof kubeContext === "boolean" ? String(kubeContext) : kubeContext;
    if (typeof name !== "string" || name.trim() === "") {
      report("kubeContext", `${show(kubeContext)} is not a context name`, "give the name of one of the kubeconfig's contexts (kubectl config get-contexts -o name), or remove it to use its current-context");
    } else {
      context = name;
    }
    if (kubeconfig === undefined) {
      report("kubeContext", "is set without consortium:kubeconfig: it chooses a context of that kubeconfig, and the ambient ~/.kube/config is never used with it", `give the kubeconfig too (${SET_KUBECONFIG}), or remove kubeContext`);
      return undefined;
    }
  }

  const doc = readKubeconfig(kubeconfig, report);
  if (doc) checkKubeconfig(doc, context, report);
  return ok ? { kubeconfig: true, ...(context !== undefined ? { context } : {}) } : undefined;
}

/** The kubeconfig as a document (a map), or undefined after a report that quotes none of it. */
function readKubeconfig(raw: unknown, problem: Report): Record<string, unknown> | undefined {
  if (isRecord(raw)) return raw;
  if (typeof raw !== "string" || raw.trim() === "") {
    problem("kubeconfig", raw === "" || typeof raw === "string" ? "is empty" : "is not a kubeconfig's text", `set the kubeconfig file's text (YAML or JSON), credentials embedded: ${SET_KUBECONFIG}`);
    return undefined;
  }
  const text = raw.trim();
  // The Kubernetes provider also takes a file's path, which would make the stack depend on a file of one machine.
  if (!text.includes("\n") && /^(~|\.{0,2}\/|[A-Za-z]:\\|[\w.-]+\.(ya?ml|json|conf|config)$)/.test(text)) {
    problem("kubeconfig", "is a file path, not a kubeconfig's text: the stack would depend on a file of one machine", `set the file's text instead: ${SET_KUBECONFIG}`);
    return undefined;
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    // The parser's own message quotes the offending line, which may hold a credential: its position only.
    const at = doc.errors[0].linePos?.[0];
    problem("kubeconfig", `is not valid YAML or JSON (${doc.errors[0].code}${at ? ` at line ${at.line}, column ${at.col}` : ""})`, `set the kubeconfig file's whole text: ${SET_KUBECONFIG}`);
    return undefined;
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch {
    value = undefined;
  }
  if (!isRecord(value)) {
    problem("kubeconfig", "is not a kubeconfig (a map with clusters, contexts and users)", `set the kubeconfig file's text: ${SET_KUBECONFIG}`);
    return undefined;
  }
  return value;
}

/** A kubeconfig list's entries by name (`{ name, <body>: {…} }`), or undefined after a report. */
function entries(doc: Record<string, unknown>, list: "clusters" | "contexts" | "users", body: string, problem: Report): Map<string, Record<string, unknown>> | undefined {
  const raw = doc[list];
  const fix = `flatten the kubeconfig of the cluster you mean: ${SET_KUBECONFIG}`;
  if (!Array.isArray(raw) || raw.length === 0) {
    problem("kubeconfig", raw === undefined || (Array.isArray(raw) && raw.length === 0) ? `has no ${list}` : `has ${list} that are not a list`, fix);
    return undefined;
  }
  const out = new Map<string, Record<string, unknown>>();
  let ok = true;
  raw.forEach((entry: unknown, i) => {
    if (!isRecord(entry) || typeof entry.name !== "string" || entry.name === "" || !isRecord(entry[body])) {
      problem("kubeconfig", `${list}[${i}] is not { name, ${body}: {…} }`, fix);
      ok = false;
    } else if (out.has(entry.name)) {
      problem("kubeconfig", `${list} has two entries named ${show(entry.name)}`, "keep one entry per name, then " + fix);
      ok = false;
    } else {
      out.set(entry.name, entry[body] as Record<string, unknown>);
    }
  });
  return ok ? out : undefined;
}

function checkKubeconfig(doc: Record<string, unknown>, kubeContext: string | undefined, problem: Report): void {
  const clusters = entries(doc, "clusters", "cluster", problem);
  const contexts = entries(doc, "contexts", "context", problem);
  const users = entries(doc, "users", "user", problem);

  // Nothing the state keeps may depend on a file of the machine that ran `pulumi up`.
  for (const [kind, found] of [["cluster", clusters], ["user", users]] as const) {
    for (const [name, body] of found ?? []) {
      for (const [key, fix] of Object.entries(FILE_KEYS[kind])) {
        if (body[key] !== undefined && body[key] !== "") problem("kubeconfig", `${kind} ${show(name)} refers to a file (${key}): the stack would depend on a file of one machine`, fix);
      }
    }
  }
  if (!contexts) return;

  const names = [...contexts.keys()].map((n) => show(n)).join(", ");
  let chosen: string;
  if (kubeContext !== undefined) {
    if (!contexts.has(kubeContext)) {
      problem("kubeContext", `${show(kubeContext)} is not a context of the kubeconfig (it has ${names})`, "set one of those, or remove kubeContext to use the kubeconfig's current-context");
      return;
    }
    chosen = kubeContext;
  } else {
    const current = doc["current-context"];
    if (typeof current !== "string" || current === "") {
      problem("kubeconfig", `has no current-context, so it names no cluster (its contexts: ${names})`, "set consortium:kubeContext to one of its contexts, or flatten the kubeconfig with a current context (kubectl config use-context <name>, then kubectl config view --raw --flatten)");
      return;
    }
    if (!contexts.has(current)) {
      problem("kubeconfig", `its current-context ${show(current)} is not one of its contexts (${names})`, "set consortium:kubeContext to one of its contexts, or flatten the kubeconfig again: kubectl config view --raw --flatten");
      return;
    }
    chosen = current;
  }

  // The chosen context must lead to a cluster with a server, and to a user, both in this kubeconfig.
  const ctx = contexts.get(chosen)!;
  const field = kubeContext !== undefined ? "kubeContext" : "kubeconfig";
  const again = `flatten the whole kubeconfig again: ${SET_KUBECONFIG}`;
  const cluster = typeof ctx.cluster === "string" ? clusters?.get(ctx.cluster) : undefined;
  if (typeof ctx.cluster !== "string" || ctx.cluster === "") {
    problem(field, `context ${show(chosen)} names no cluster`, again);
  } else if (clusters && !cluster) {
    problem(field, `context ${show(chosen)} uses cluster ${show(ctx.cluster)}, which the kubeconfig does not hold`, again);
  } else if (cluster && (typeof cluster.server !== "string" || cluster.server === "")) {
    problem("kubeconfig", `cluster ${show(ctx.cluster)} has no server`, again);
  }
  if (typeof ctx.user !== "string" || ctx.user === "") {
    problem(field, `context ${show(chosen)} names no user`, again);
  } else if (users && !users.has(ctx.user)) {
    problem(field, `context ${show(chosen)} uses user ${show(ctx.user)}, which the kubeconfig does not hold`, again);
  }
}
