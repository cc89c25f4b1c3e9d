import { describe, expect, test } from "bun:test";
import type { DetectorInput } from "../detect/types.ts";
import { addBaselineTallies, BASELINES, baselineRows, catchTableMarkdown, evaluateBaselines, ratioHalfEven, tallyBaselines } from "./baselines.ts";
import { cleanCase } from "./fixture.ts";

/** The fixture with one slice broken. */
function broken(change: (c: DetectorInput) => void): DetectorInput {
  const c = cleanCase();
  change(c);
  return c;
}

function sqlOf(c: DetectorInput): string {
  if (c.observation.compiler?.kind !== "sql") throw new Error("fixture compiles");
  return c.observation.compiler.sql;
}

function setSql(c: DetectorInput, sql: string): void {
  if (c.observation.compiler?.kind !== "sql") throw new Error("fixture compiles");
  c.observation.compiler.sql = sql;
}

const DENIED = { allowed: false, reasons: ["dimension email is not allowed"], denials: [{ kind: "dimension" as const, reason: "dimension email is not allowed" }] };

/** Per baseline: one break it must see, and one (outside its slice) it must not. */
const CASES: Record<string, { sees: (c: DetectorInput) => void; blind: (c: DetectorInput) => void }> = {
  grammar_only: {
    sees: (c) => c.observation.grammar.intent_space.metrics.push("gross_revenue"),
    blind: (c) => c.observation.manifest.metrics.push("gross_revenue"),
  },
  semantic_validator_only: {
    sees: (c) => {
      c.observation.validator.obligations!.metric = "refunds";
    },
    blind: (c) => c.observation.grammar.intent_space.metrics.push("gross_revenue"),
  },
  sql_ast_policy_checker: {
    sees: (c) => setSql(c, sqlOf(c).replace(" limit 100", "")),
    blind: (c) => setSql(c, sqlOf(c).replace("sum(invoices.net_cents)", "sum(invoices.gross_cents)")),
  },
  db_policy_only: {
    sees: (c) => c.observation.database.probe.visible_columns.accounts!.push("legacy_tenant_id"),
    blind: (c) => c.observation.database.probe.visible_rows.accounts!.push("a9"),
  },
  release_filter_only: {
    sees: (c) => Object.assign(c.canonical.decision, DENIED),
    blind: (c) => {
      c.observation.end_to_end.rows = [{ value: 999 }];
    },
  },
  lineage_only: {
    sees: (c) => {
      if (c.observation.compiler?.kind === "sql") c.observation.compiler.lineage = ["accounts", "invoices_mv", "subscriptions"];
    },
    blind: (c) => setSql(c, sqlOf(c).replace(" limit 100", " limit 1000")),
  },
  policy_as_code_precheck: {
    sees: (c) => c.observation.manifest.metrics.push("gross_revenue"),
    blind: (c) => setSql(c, sqlOf(c).replace(" limit 100", "")),
  },
  defense_in_depth_stack_v2: {
    sees: (c) => c.observation.grammar.intent_space.metrics.push("gross_revenue"),
    blind: (c) => {
      c.observation.end_to_end.rows = [{ value: 999 }];
    },
  },
  final_answer_only: {
    sees: (c) => {
      c.observation.end_to_end.rows = [{ value: 999 }];
    },
    blind: (c) => {
      c.observation.database.before_containment = { kind: "rows", rows: [{ value: 5 }] };
    },
  },
  sql_snapshot: {
    sees: (c) => setSql(c, sqlOf(c).replace("sum(invoices.net_cents)", "sum(invoices.gross_cents)")),
    // Whitespace is not a difference; and it never looks at the database.
    blind: (c) => {
      setSql(c, sqlOf(c).replaceAll(" ", "  "));
      c.observation.database.probe.visible_rows.accounts!.push("a9");
    },
  },
  validator_only: {
    sees: (c) => {
      c.observation.validator.allowed = false;
    },
    blind: (c) => {
      c.observation.validator.obligations!.metric = "refunds";
    },
  },
  db_rls_only: {
    sees: (c) => c.observation.database.probe.visible_rows.accounts!.push("a9"),
    blind: (c) => setSql(c, sqlOf(c).replace(" limit 100", "")),
  },
  random_data_generation: {
    sees: (c) => {
      c.observation.database.before_containment = { kind: "rows", rows: [{ value: 5 }] };
    },
    blind: (c) => {
      c.observation.end_to_end.rows = [{ value: 999 }];
    },
  },
  naive_surface_equality: {
    sees: (c) => {
      c.observation.release!.released = false;
    },
    blind: (c) => setSql(c, sqlOf(c).replace(" limit 100", "")),
  },
  defense_in_depth_stack: {
    sees: (c) => c.observation.database.probe.visible_rows.accounts!.push("a9"),
    blind: (c) => c.observation.grammar.intent_space.metrics.push("gross_revenue"),
  },
  conventional_test_suite: {
    sees: (c) => {
      c.observation.end_to_end.rows = [{ value: 999 }];
    },
    blind: (c) => c.observation.database.probe.visible_rows.accounts!.push("a9"),
  },
  property_differential: {
    sees: (c) => c.observation.grammar.intent_space.dimensions.push("region"),
    blind: (c) => setSql(c, sqlOf(c).replace(" limit 100", "")),
  },
};

describe("baselines", () => {
  test("the 17 baselines, in evidence-table order, each saying what it sees", () => {
    expect(BASELINES.map((b) => b.name)).toEqual([
      "grammar_only",
      "semantic_validator_only",
      "sql_ast_policy_checker",
      "db_policy_only",
      "release_filter_only",
      "lineage_only",
      "policy_as_code_precheck",
      "defense_in_depth_stack_v2",
      "final_answer_only",
      "sql_snapshot",
      "validator_only",
      "db_rls_only",
      "random_data_generation",
      "naive_surface_equality",
      "defense_in_depth_stack",
      "conventional_test_suite",
      "property_differential",
    ]);
    for (const b of BASELINES) expect(b.sees.length).toBeGreaterThan(20);
  });

  test("none fires on a clean case", () => {
    const c = cleanCase();
    expect(BASELINES.filter((b) => b.fires(c)).map((b) => b.name)).toEqual([]);
  });

  for (const baseline of BASELINES) {
    test(`${baseline.name} sees a break in its slice and not one outside it`, () => {
      const { sees, blind } = CASES[baseline.name]!;
      expect(baseline.fires(broken(sees))).toBe(true);
      expect(baseline.fires(broken(blind))).toBe(false);
    });
  }

  test("catch counts are over failing cases only; invalid cases are never caught", () => {
    const leak = broken((c) => c.observation.database.probe.visible_rows.accounts!.push("a9"));
    const table = evaluateBaselines([
      { failure: true, input: leak },
      { failure: true, input: null },
      { failure: false, input: leak },
    ]);
    expect(table.db_rls_only).toEqual({ caught: 1, total_failures: 2, missed: 1, catch_rate: 0.5 });
    expect(table.sql_snapshot).toEqual({ caught: 0, total_failures: 2, missed: 2, catch_rate: 0 });
    expect(Object.keys(table)).toEqual(BASELINES.map((b) => b.name));
  });

  test("counts of disjoint case sets add up to the counts over all their cases, however they are split", () => {
    const inputs = Object.values(CASES).flatMap(({ sees, blind }) => [broken(sees), broken(blind)]);
    const cases = [...inputs.map((input, i) => ({ failure: i % 5 !== 0, input })), { failure: true, input: null }];
    const whole = evaluateBaselines(cases);
    // Some baseline catches some but not all: a sum that dropped or doubled a part would show.
    expect(Object.values(whole).some((row) => row.caught > 0 && row.caught < row.total_failures)).toBe(true);
    for (const cut of [0, 1, 7, cases.length - 1, cases.length]) {
      const tallies = [tallyBaselines(cases.slice(cut)), tallyBaselines(cases.slice(0, cut))];
      expect(baselineRows(addBaselineTallies(tallies))).toEqual(whole);
    }
    const oneByOne = addBaselineTallies(cases.map((c) => tallyBaselines([c])));
    expect(baselineRows(oneByOne)).toEqual(whole);
    expect(baselineRows(addBaselineTallies([]))).toEqual(evaluateBaselines([]));
  });

  test("cases sharing one input are judged once and each counted; a map handed to several calls judges across them", () => {
    const inputs = Object.values(CASES).flatMap(({ sees, blind }) => [broken(sees), broken(blind)]);
    let judged = 0;
    const counting = BASELINES.map((b) => ({
      ...b,
      unionOf: undefined,
      fires: (input: DetectorInput, lowered?: Parameters<typeof b.fires>[1]) => {
        judged++;
        return b.fires(input, lowered);
      },
    }));
    const repeated = [...inputs, ...inputs, ...inputs].map((input) => ({ failure: true, input }));
    // Copies of equal content are not shared objects: they are judged again, to the same counts.
    const copies = repeated.map(({ input }) => ({ failure: true, input: { ...input } }));
    const alone = tallyBaselines(copies, counting);
    expect(judged).toBe(copies.length * BASELINES.length);
    judged = 0;
    const shared = tallyBaselines(repeated, counting);
    expect(judged).toBe(inputs.length * BASELINES.length);
    expect(shared).toEqual(alone);
    judged = 0;
    const memo = new Map<DetectorInput, boolean[]>();
    const halves = [tallyBaselines(repeated.slice(0, 10), counting, memo), tallyBaselines(repeated.slice(10), counting, memo)];
    expect(judged).toBe(inputs.length * BASELINES.length);
    expect(addBaselineTallies(halves, counting)).toEqual(alone);
  });

  test("counting over many cases (shared lowering, unions from their parts' verdicts) agrees with each baseline alone", () => {
    const inputs = Object.values(CASES).flatMap(({ sees, blind }) => [broken(sees), broken(blind)]);
    const table = evaluateBaselines(inputs.map((input) => ({ failure: true, input })));
    for (const baseline of BASELINES) expect(table[baseline.name]!.caught).toBe(inputs.filter((input) => baseline.fires(input)).length);
    const names = new Set(BASELINES.map((b) => b.name));
    const unions = BASELINES.filter((b) => b.unionOf);
    expect(unions.map((b) => b.name)).toEqual(["defense_in_depth_stack_v2", "defense_in_depth_stack"]);
    for (const union of unions) {
      for (const part of union.unionOf!) expect(names.has(part)).toBe(true);
      const parts = BASELINES.filter((b) => union.unionOf!.includes(b.name));
      for (const input of inputs) expect(union.fires(input)).toBe(parts.some((b) => b.fires(input)));
    }
  });

  test("markdown rates round half to even on exact ties", () => {
    expect(ratioHalfEven(1, 8)).toBe("0.12");
    expect(ratioHalfEven(3, 8)).toBe("0.38");
    expect(ratioHalfEven(1, 200)).toBe("0.00");
    expect(ratioHalfEven(3, 200)).toBe("0.02");
    expect(ratioHalfEven(2, 3)).toBe("0.67");
    expect(ratioHalfEven(50, 50)).toBe("1.00");
    expect(ratioHalfEven(0, 0)).toBe("0.00");
    const md = catchTableMarkdown({ sql_snapshot: { caught: 1, total_failures: 8, missed: 7, catch_rate: 0.125 } });
    expect(md).toBe("| Baseline | Failures caught | Catch rate |\n| --- | --- | --- |\n| sql_snapshot | 1/8 | 0.12 |\n");
  });
});
