import { join } from "node:path";
import type { Domain } from "../core/domain/domain.ts";
import { InputError } from "../core/input/input-error.ts";
import { UsageError } from "../core/input/usage-error.ts";
import { SafeIdentifier } from "../core/model/identifiers.ts";
import { SuiteFile, SuiteMetadata } from "../core/model/suite.ts";
import { GENERATED_SUITES, SUITE_ALIASES } from "../core/suites/catalog.ts";
import { generateCleanControls } from "../core/suites/clean-controls.ts";
import { expandSuite } from "../core/suites/expand.ts";
import { generateDriftTasks } from "../core/suites/generate.ts";
import { ArrayTaskList, type TaskList } from "../core/suites/task-list.ts";
import { displayPath, isBuiltinFile, readYaml, sourceExists } from "./load-domain.ts";

export interface LoadedSuite {
  name: string;
  /** Materialized on demand: a generated suite of a million cases stays a few megabytes. */
  tasks: TaskList;
  metadata: SuiteMetadata;
  generated_count: number | null;
  generated_seed: number | null;
  /** The static suite file, when there is one. */
  file: string | null;
}

/** Resolves a suite name to its cases: a generated suite from the catalogue, or tasks/<name>.yaml. */
export function loadSuite(domain: Domain & { dir: string }, requested: string, count?: number, seed?: number): LoadedSuite {
  if (!SafeIdentifier.safeParse(requested).success) {
    throw new UsageError(`unsafe suite name: ${requested}`, "use letters, digits, '_', '.', '-' only (e.g. seeded, generated, heldout_v1)");
  }
  const name = SUITE_ALIASES[requested] ?? requested;
  const generated = GENERATED_SUITES[name];
  if (generated) {
    const n = count ?? generated.count;
    const s = seed ?? generated.seed;
    const tasks = generated.kind === "drift" ? generateDriftTasks(domain, n, s) : generateCleanControls(domain, n, s);
    return { name: requested, tasks, metadata: generated.metadata, generated_count: n, generated_seed: s, file: null };
  }
  const file = join(domain.dir, "tasks", `${name}.yaml`);
  if (!sourceExists(file)) {
    const generatedNames = [...Object.keys(GENERATED_SUITES), ...Object.keys(SUITE_ALIASES)].join(", ");
    throw new InputError(
      displayPath(file),
      1,
      1,
      `unknown suite: ${requested}`,
      isBuiltinFile(file)
        ? `use a generated suite (${generatedNames}) or a suite of the domain's tasks/ folder; for a suite of your own, copy the domain with \`strata init-domain ${domain.name} --out DIR\`, add DIR/${domain.name}/tasks/${name}.yaml and pass --domain-path DIR/${domain.name}`
        : `use a generated suite (${generatedNames}) or create ${file}`,
    );
  }
  const source = readYaml(file);
  const suite = source.validate(SuiteFile);
  const tasks = new ArrayTaskList(expandSuite(domain, suite, source));
  const metadata = SuiteMetadata.parse(suite.suite_metadata ?? {});
  return { name: requested, tasks, metadata, generated_count: null, generated_seed: null, file };
}
