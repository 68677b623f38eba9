#!/usr/bin/env node
"use strict";
// The dynamic-provider host of the @pulumi/pulumi that the program itself uses (resolved from the program's directory,
// where Pulumi starts plugins), run in this process with the SDK's large unused packages deferred (lazy-sdk-deps.cjs).
// The host reads the engine's address from its arguments, which are this script's.
require("./lazy-sdk-deps.cjs");

let host;
try {
  host = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", { paths: [process.cwd()] });
} catch {
  console.error(`pulumi-resource-pulumi-nodejs: @pulumi/pulumi is not installed for ${process.cwd()}; run npm ci`);
  process.exit(1);
}
require(host);
