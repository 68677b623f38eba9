// A Docker healthcheck: Docker's checks are commands run inside the container (exec form, never CMD-SHELL: images
// may have no shell). Each workload says which command works in its image (render/workload.ts `execCheck`).
export interface Healthcheck {
  /** Exec form: ["CMD", binary, ...args]. */
  test: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  /** Failures during this grace period (chain init, first peering) do not count. */
  startPeriodSeconds: number;
}
