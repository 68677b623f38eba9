// Our dynamic resources: the dynamic-provider host loads each one's provider from the build of the project being run,
// by module and export name, instead of running a copy of the provider's functions that `pulumi.dynamic.Resource`
// serialises into every resource.
//
// Why not the SDK's class: its serialisation loads the TypeScript compiler and walks each provider's closure through
// the V8 inspector — 1.35 of the 4 CPU-seconds our language host spent on a preview of the dev stack, paid again by
// every `up`, preview, refresh and destroy (README "The Node.js language host") — and it buys nothing here: our
// providers load their implementation from the project being run anyway (lib/project.ts), so that the state never pins
// the checkout that wrote it. The engine protocol is the SDK's own: the type token `pulumi-nodejs:dynamic/<module>:<Type>`
// routes the resource to the dynamic-provider host, which evaluates the `__provider` input as a CommonJS module and calls
// its `handler()` for the provider (@pulumi/pulumi cmd/dynamic-provider, getProvider).
import * as pulumi from "@pulumi/pulumi";
import { relative, sep } from "node:path";
import { projectRoot } from "../lib/project";

/** A provider exported by one of the project's modules: `dist/<module>.js`, export `name`. */
export interface ProjectProvider {
  readonly module: string;
  readonly name: string;
}

const ROOT = projectRoot(__dirname);

/** projectRoot's compiled text, which every `__provider` carries (the same for every resource). */
const PROJECT_ROOT_SOURCE = `const projectRoot = ${projectRoot.toString()};`;

/**
 * The provider `fooProvider` that the calling module exports, as `projectProvider(__filename, { fooProvider })`: the
 * module's path is its own file's (compiled `dist/x.js` or source `x.ts` alike), the name is checked by the compiler.
 */
export function projectProvider(file: string, exported: Record<string, pulumi.dynamic.ResourceProvider<any, any>>): ProjectProvider {
  const names = Object.keys(exported);
  if (names.length !== 1) throw new Error(`projectProvider(${file}): name exactly one provider, as { fooProvider } (got ${names.length})`);
  const module = relative(ROOT, file).split(sep).join("/").replace(/^dist\//, "").replace(/\.(js|ts)$/, "");
  if (module.startsWith("..")) throw new Error(`projectProvider(${file}): not a module of the project at ${ROOT}`);
  return { module, name: names[0] };
}

/**
 * The `__provider` text for a provider: finds the project enclosing the provider host's working directory, as the
 * providers' own `projectModule` does (lib/project.ts projectRoot, whose compiled text it carries), and loads the
 * provider from its build.
 */
export function providerSource(provider: ProjectProvider): string {
  const path = JSON.stringify(`dist/${provider.module}.js`);
  return [
    PROJECT_ROOT_SOURCE,
    `exports.handler = () => require(require("node:path").join(projectRoot(), ${path}))[${JSON.stringify(provider.name)}];`,
    "",
  ].join("\n");
}

/** A dynamic resource of ours: `pulumi.dynamic.Resource`'s arguments, with the provider named instead of serialised. */
export abstract class ProjectResource extends pulumi.CustomResource {
  constructor(provider: ProjectProvider, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined, module: string, type: string) {
    super(`pulumi-nodejs:dynamic/${module}:${type}`, name, { ...props, __provider: providerSource(provider) }, opts);
  }
}
