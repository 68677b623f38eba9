// The order the chains lane starts its files in, two at a time (vitest.config.ts): the longest first — vitest's own
// order (its record of the last run's durations, else the larger file first) has no record on a fresh clone, and a
// file's size says little of its length (a three-minute whole-stack test is smaller than many renderer tests). With
// the long files first, the short ones fill in at the end and both workers finish close together.
import { statSync } from "node:fs";
import { relative, sep } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { expectedLength } from "./suites";

export class LongestFirstSequencer extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (spec: TestSpecification) => {
      const file = relative(spec.project.config.root, spec.moduleId).split(sep).join("/");
      return { spec, rank: expectedLength(file), size: statSync(spec.moduleId).size };
    };
    return files.map(key).sort((a, b) => b.rank - a.rank || b.size - a.size).map(({ spec }) => spec);
  }
}
