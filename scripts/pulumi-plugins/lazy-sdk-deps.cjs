"use strict";
// Loaded first by our language host and dynamic-provider host (beside this file): defers two large packages that
// @pulumi/pulumi 3.259 requires as it loads and most processes never use.
//  - @npmcli/arborist (with pacote, sigstore, …: ~450 of the ~760 modules the SDK loads) serves only
//    `computeCodePaths`, which packages a function's dependencies for a cloud function; a dynamic provider never does.
//  - typescript (one 9 MB file) serves only the serialisation of a function: the language host needs it once it
//    registers a dynamic resource; a provider process, which runs the serialised provider, never does.
// Every `pulumi up`, preview, refresh and destroy starts both processes (the provider once per operation), so their
// start-up CPU is paid many times over (README "The Node.js language host"). Written here because nothing fits: the
// SDK has no switch, Node 20 has no module compile cache, and the v8-compile-cache package breaks require() of ES
// modules (execa 9). The module stands in for the package until one of its properties is read, then loads it: what
// uses it works as before, later.
const Module = require("node:module");

/**
 * The packages deferred, when the SDK requires them. `esModule`: the SDK's compiled `import * as` copies every
 * property of a CommonJS module at once (which would load it), but keeps a module marked `__esModule` as it is;
 * `arborist.Arborist`, all the SDK reads of it, is the same either way.
 */
const DEFERRED = new Map([
  ["@npmcli/arborist", { esModule: true }],
  ["typescript", { esModule: false }],
]);
const SDK_FILE = /[\\/]node_modules[\\/]@pulumi[\\/]pulumi[\\/]/;

const load = Module._load;
Module._load = function (request, parent, isMain) {
  const deferred = DEFERRED.get(request);
  if (!deferred || !parent || !SDK_FILE.test(parent.filename)) return load.apply(this, arguments);
  // A package that is not there fails now, as without the stand-in (the SDK falls back to its vendored typescript).
  Module._resolveFilename(request, parent, isMain);
  let real;
  const target = () => (real ??= load.call(this, request, parent, isMain));
  return new Proxy(
    {},
    {
      get: (_, key) => (key === "__esModule" && deferred.esModule ? true : Reflect.get(target(), key)),
      has: (_, key) => Reflect.has(target(), key),
      ownKeys: () => Reflect.ownKeys(target()),
      // A property reported that the stand-in itself lacks must be configurable (a Proxy invariant).
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
};
