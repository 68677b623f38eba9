// Images for pods of the test cluster, built without a registry: a binary of this machine in a minimal root
// filesystem (testkit/dockerd.ts), with Debian's static busybox as /bin/sh and the few commands the init
// container's script runs (render/kubernetes/initScript.ts: sh, mkdir, cp, chmod, touch) — what the clients'
// published images have and the bare binary images of the Docker tests lack.
import { copyFile, mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import type { Log } from "../../lib/toolchain/build";
import { importBinaryImage } from "../dockerd";
import { staticBusybox } from "../docker/helperImage";

const SHELL_COMMANDS = ["sh", "mkdir", "cp", "chmod", "touch", "cat", "ls"];

/** Imports `tag` into Docker: `binary` as its entrypoint, with a shell for the init container. */
export async function clusterImage(binary: string, tag: string, log: Log): Promise<string> {
  const busybox = await staticBusybox(log);
  return importBinaryImage(binary, tag, log, {
    fill: async (root) => {
      await mkdir(join(root, "bin"), { recursive: true });
      await copyFile(busybox, join(root, "bin", "busybox"));
      for (const c of SHELL_COMMANDS) await symlink("busybox", join(root, "bin", c));
    },
    changes: ['ENV PATH=/usr/local/bin:/bin', `ENTRYPOINT ["/usr/local/bin/${binary.split("/").pop()}"]`, "USER 10001", "WORKDIR /home/node"],
  });
}
