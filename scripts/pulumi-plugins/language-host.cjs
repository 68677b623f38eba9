#!/usr/bin/env node
"use strict";
// A Pulumi language host for Node.js programs, built on the SDK's own in-process language server
// (the one the Automation API uses for inline programs).
//
// Why our own: the official `pulumi-language-nodejs` is a Go module that the Go module proxy does not
// serve, so it cannot be built on machines that only reach the package registries. When a real
// `pulumi-language-nodejs` is found first, Pulumi uses that one instead (scripts/tools.ts installs ours
// beside the pulumi binary it builds).
//
// Protocol: the CLI starts this process with the engine address as last argument, reads the port we
// print on stdout, and calls the LanguageRuntime gRPC service. `Run` loads the program's entry point
// (Pulumi.yaml `main`) in this process, with the project directory as working directory; a default
// export that is a function is called and its result becomes the stack outputs.
// The SDK's large packages this process may not need are loaded when first used (see the file).
require("./lazy-sdk-deps.cjs");
const path = require("node:path");
// The SDK the program itself uses, resolved from the program's directory (where Pulumi starts plugins).
const sdkRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd()] }));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkRoot] }));
const { LanguageServer } = require(path.join(sdkRoot, "automation", "server"));
const langrpc = require(path.join(sdkRoot, "proto", "language_grpc_pb"));
const { grpcChannelOptions } = require(path.join(sdkRoot, "runtime", "settings"));

let entryPoint;

async function program() {
  const mod = require(entryPoint);
  const main = typeof mod === "function" ? mod : mod.default;
  return typeof main === "function" ? main() : mod;
}

class ProgramLanguageServer extends LanguageServer {
  run(call, callback) {
    const req = call.request;
    // The program runs in the project directory (beside Pulumi.yaml), so its relative paths mean the same
    // wherever `main` points.
    const info = req.getInfo();
    process.chdir((info && info.getRootDirectory()) || req.getPwd());
    entryPoint = info && info.getEntryPoint()
      ? path.resolve(info.getProgramDirectory(), info.getEntryPoint())
      : path.resolve(req.getPwd(), req.getProgram() || ".");
    return super.run(call, callback);
  }
}

const server = new grpc.Server(grpcChannelOptions);
server.addService(langrpc.LanguageRuntimeService, new ProgramLanguageServer(program));
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(`language host: cannot listen on loopback: ${err.message}`);
    process.exit(1);
  }
  process.stdout.write(`${port}\n`);
});
