// vitest marks the tests of a suite whose beforeAll failed as "skipped", which reads like a choice; here they fail,
// each with the setup's error, so a broken setup is never counted as anything but a failure.
import { updateTask } from "@vitest/runner";
import type { Suite, Task } from "@vitest/runner";
import { VitestTestRunner } from "vitest/runners";

function testsOf(task: Task): Task[] {
  return task.type === "test" ? [task] : (task as Suite).tasks.flatMap(testsOf);
}

export default class StrictRunner extends VitestTestRunner {
  /** Tests meant to run (vitest rewrites their mode to "skip" when a beforeAll fails). */
  private readonly meantToRun = new Set<string>();

  override onBeforeRunSuite(suite: Suite): Promise<void> {
    for (const test of testsOf(suite)) if (test.mode === "run") this.meantToRun.add(test.id);
    return super.onBeforeRunSuite(suite);
  }

  override async onAfterRunSuite(suite: Suite): Promise<void> {
    await super.onAfterRunSuite(suite);
    const cause = suite.result?.state === "fail" ? suite.result.errors?.[0] : undefined;
    if (!cause) return;
    for (const test of testsOf(suite)) {
      if (!this.meantToRun.has(test.id) || test.result?.state !== "skip") continue;
      test.mode = "run";
      test.result = { ...test.result, state: "fail", errors: [{ ...cause, message: `did not run: the setup of "${suite.name}" failed: ${cause.message}` }] };
      updateTask("test-finished", test, this);
    }
  }
}
