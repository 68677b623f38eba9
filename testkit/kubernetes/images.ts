// Images for pods of the test cluster, built without a registry: a binary of this machine in a minimal root
// filesystem (testkit/dockerd.ts), with Debian's static busybox as /bin/sh and the few commands the init
// container's script runs (render/kubernetes/initScript.ts: sh, mkdir, cp, chmod, touch) — what the clients'
// published images have and the bare binary images of the Docker tests lack.
import { copyFile, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Log } from "../../lib/toolchain/build";
import { importBinaryImage } from "../dockerd";
import { staticBusybox } from "../docker/helperImage";
import { importNodeAppImage, NodeAppImage } from "../nodeAppImage";

const SHELL_COMMANDS = ["sh", "mkdir", "cp", "chmod", "touch", "cat", "ls", "sleep"];

/** Fills an image's root with Debian's static busybox as /bin/sh and the commands the init container runs. */
async function shellFiller(log: Log): Promise<(root: string) => Promise<void>> {
  const busybox = await staticBusybox(log);
  return async (root) => {
    await mkdir(join(root, "bin"), { recursive: true });
    await copyFile(busybox, join(root, "bin", "busybox"));
    for (const c of SHELL_COMMANDS) await symlink("busybox", join(root, "bin", c));
  };
}

/** Imports `tag` into Docker: `binary` as its entrypoint, with a shell for the init container. */
export async function clusterImage(binary: string, tag: string, log: Log): Promise<string> {
  return importBinaryImage(binary, tag, log, {
    fill: await shellFiller(log),
    changes: ['ENV PATH=/usr/local/bin:/bin', `ENTRYPOINT ["/usr/local/bin/${binary.split("/").pop()}"]`, "USER 10001", "WORKDIR /home/node"],
  });
}

/** A project Node.js image (testkit/nodeAppImage.ts, a TEST DOUBLE for its Dockerfile's build) with the init container's shell. */
export async function clusterAppImage(image: NodeAppImage, tag: string, log: Log): Promise<string> {
  return importNodeAppImage(image, tag, log, await shellFiller(log));
}

/**
 * TEST DOUBLE for the iExec pool's images (core, worker, adapters, mongo) and the workers' Docker engine (dind): none
 * can be pulled here. It idles whatever arguments it is given, as whichever user the pod runs it.
 */
export async function idleImage(tag: string, log: Log): Promise<string> {
  const fill = await shellFiller(log);
  const busybox = await staticBusybox(log);
  return importBinaryImage(busybox, tag, log, {
    fill: async (root) => {
      await fill(root);
      await mkdir(join(root, "usr", "local", "bin"), { recursive: true });
      await writeFile(join(root, "usr", "local", "bin", "idle"), "#!/bin/sh\nexec sleep 2147483647\n", { mode: 0o755 });
    },
    changes: ["ENV PATH=/usr/local/bin:/bin", 'ENTRYPOINT ["/usr/local/bin/idle"]'],
  });
}
