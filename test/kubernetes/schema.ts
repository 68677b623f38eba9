// Offline validation of rendered objects against the Kubernetes schemas (no cluster here). Two checks:
// - kubernetes-models' validators, generated from the Kubernetes OpenAPI schema (types, required fields, enums, formats);
// - the same package's TypeScript interfaces with the compiler's excess-property check, because the OpenAPI schema
//   allows unknown fields, which an API server drops or rejects (a misspelt field would otherwise pass unseen).
import { createRequire } from "node:module";
import { join } from "node:path";
import ts from "typescript";
import { K8sObject } from "../../render/kubernetes/meta";

const requireHere = createRequire(__filename);

/** Module of the kubernetes-models class for an object: `kubernetes-models/<apiVersion>/<kind>` (core "v1" too). */
const modelModule = (o: Pick<K8sObject, "apiVersion" | "kind">) => `kubernetes-models/${o.apiVersion}/${o.kind}`;

/** Schema errors of one object (empty when valid). */
export function schemaErrors(o: K8sObject): string[] {
  let Model: new (data: unknown) => { validate(): void };
  try {
    Model = requireHere(modelModule(o))[o.kind];
  } catch {
    return [`no schema for ${o.apiVersion} ${o.kind}`];
  }
  try {
    new Model(o).validate();
    return [];
  } catch (e) {
    return [`${o.kind} ${o.metadata?.name}: ${(e as Error).message}`];
  }
}

/** Type errors (unknown or mistyped fields) of objects checked against the kubernetes-models interfaces. */
export function typeErrors(objects: K8sObject[]): string[] {
  const file = join(__dirname, "__rendered_objects__.ts");
  const source = objects
    .map((o, i) => `export const o${i}: import(${JSON.stringify(modelModule(o))}).I${o.kind} = ${JSON.stringify(o, null, 1)};`)
    .join("\n");
  const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (name === file ? ts.createSourceFile(name, source, lang) : read(name, lang, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return `${where ? `line ${where.line + 1}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}
