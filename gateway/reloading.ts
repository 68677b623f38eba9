// A file the gateway follows while it runs (its policy, its keys): read again when it changes, so a policy changed by
// `pulumi up` takes effect without a restart. A bad new version is refused and the last good one kept (said in the log).
import { readFileSync, statSync } from "node:fs";

export class ReloadingFile<T> {
  private value: T;
  private stamp: string;

  /** Reads it now: a bad file at start is the caller's error to report. */
  constructor(
    private readonly path: string,
    private readonly parse: (text: string) => T,
    private readonly log: (message: string) => void,
  ) {
    this.stamp = this.currentStamp();
    this.value = parse(readFileSync(path, "utf8"));
  }

  private currentStamp(): string {
    const s = statSync(this.path);
    return `${s.mtimeMs}/${s.size}/${s.ino}`;
  }

  /** Its current contents: re-read when its size, modification time or inode changed. */
  current(): T {
    const stamp = this.currentStamp();
    if (stamp === this.stamp) return this.value;
    this.stamp = stamp;
    try {
      this.value = this.parse(readFileSync(this.path, "utf8"));
      this.log(`${this.path}: reloaded`);
    } catch (e) {
      this.log(`${this.path}: the new version is refused, the previous one stays in force: ${(e as Error).message}`);
    }
    return this.value;
  }
}
