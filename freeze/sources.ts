import { sourceText } from "./source-text.ts" with { type: "macro" };

/**
 * The source text of the modules whose behaviour a frozen benchmark pins: the case generators and
 * the detector (with the layers, oracle and SQL analysis it judges by). Each text is inlined when
 * this module is transpiled or bundled (see source-text.ts), so the hashes are the same from a
 * checkout and from a compiled binary built from it.
 *
 * Every non-test .ts file under SOURCE_FOLDERS must be listed here; test/freeze.test.ts fails when one
 * is missing, so a new file cannot silently escape the hash.
 */

/** Folders whose every non-test .ts file belongs to the component. */
export const SOURCE_FOLDERS: Record<"generator" | "detector", readonly string[]> = {
  generator: ["core/suites", "core/random"],
  // The stack's own pure code (join graph, time windows, mutation implementations) decides what
  // executes, so it is pinned with the detector that judges it.
  detector: ["core/detect", "core/stack", "core/oracle", "core/sql", "core/domain", "core/mutants", "core/observe"],
};

/** Repo-relative path to source text, per component. */
export const SOURCES: Record<"generator" | "detector", Readonly<Record<string, string>>> = {
  generator: {
    "core/random/prng.ts": sourceText("core/random/prng.ts"),
    "core/suites/catalog.ts": sourceText("core/suites/catalog.ts"),
    "core/suites/clean-controls.ts": sourceText("core/suites/clean-controls.ts"),
    "core/suites/defaults.ts": sourceText("core/suites/defaults.ts"),
    "core/suites/expand.ts": sourceText("core/suites/expand.ts"),
    "core/suites/generate.ts": sourceText("core/suites/generate.ts"),
    "core/suites/plan-shapes.ts": sourceText("core/suites/plan-shapes.ts"),
    "core/suites/task-list.ts": sourceText("core/suites/task-list.ts"),
  },
  detector: {
    "core/detect/capabilities.ts": sourceText("core/detect/capabilities.ts"),
    "core/detect/compiler.ts": sourceText("core/detect/compiler.ts"),
    "core/detect/database.ts": sourceText("core/detect/database.ts"),
    "core/detect/detect.ts": sourceText("core/detect/detect.ts"),
    "core/detect/release.ts": sourceText("core/detect/release.ts"),
    "core/detect/types.ts": sourceText("core/detect/types.ts"),
    "core/detect/upstream.ts": sourceText("core/detect/upstream.ts"),
    "core/domain/capabilities.ts": sourceText("core/domain/capabilities.ts"),
    "core/domain/domain.ts": sourceText("core/domain/domain.ts"),
    "core/domain/features.ts": sourceText("core/domain/features.ts"),
    "core/domain/join-graph.ts": sourceText("core/domain/join-graph.ts"),
    "core/domain/retarget.ts": sourceText("core/domain/retarget.ts"),
    "core/domain/time-window.ts": sourceText("core/domain/time-window.ts"),
    "core/mutants/registry.ts": sourceText("core/mutants/registry.ts"),
    "core/observe/rows.ts": sourceText("core/observe/rows.ts"),
    "core/oracle/authorize.ts": sourceText("core/oracle/authorize.ts"),
    "core/oracle/cost.ts": sourceText("core/oracle/cost.ts"),
    "core/oracle/resolve.ts": sourceText("core/oracle/resolve.ts"),
    "core/sql/analyze.ts": sourceText("core/sql/analyze.ts"),
    "core/sql/boolean-precedence.ts": sourceText("core/sql/boolean-precedence.ts"),
    "core/sql/canonical.ts": sourceText("core/sql/canonical.ts"),
    "core/sql/distinct-rewrite.ts": sourceText("core/sql/distinct-rewrite.ts"),
    "core/sql/fast-select.ts": sourceText("core/sql/fast-select.ts"),
    "core/sql/lexer.ts": sourceText("core/sql/lexer.ts"),
    "core/sql/literal.ts": sourceText("core/sql/literal.ts"),
    "core/sql/nest-joins.ts": sourceText("core/sql/nest-joins.ts"),
    "core/sql/node.ts": sourceText("core/sql/node.ts"),
    "core/sql/parse.ts": sourceText("core/sql/parse.ts"),
    "core/sql/predicates.ts": sourceText("core/sql/predicates.ts"),
    "core/sql/read-only.ts": sourceText("core/sql/read-only.ts"),
    "core/sql/relations.ts": sourceText("core/sql/relations.ts"),
    "core/sql/split-script.ts": sourceText("core/sql/split-script.ts"),
    "core/sql/sql-parser.ts": sourceText("core/sql/sql-parser.ts"),
    "core/sql/sqlite-expression.ts": sourceText("core/sql/sqlite-expression.ts"),
    "core/stack/compiler.ts": sourceText("core/stack/compiler.ts"),
    "core/stack/containment.ts": sourceText("core/stack/containment.ts"),
    "core/stack/denied-columns.ts": sourceText("core/stack/denied-columns.ts"),
    "core/stack/grammar.ts": sourceText("core/stack/grammar.ts"),
    "core/stack/manifest.ts": sourceText("core/stack/manifest.ts"),
    "core/stack/release.ts": sourceText("core/stack/release.ts"),
    "core/stack/validator.ts": sourceText("core/stack/validator.ts"),
    "core/stack/variant.ts": sourceText("core/stack/variant.ts"),
  },
};
