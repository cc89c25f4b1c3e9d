import { describe, expect, test } from "bun:test";
import { detect } from "../detect/detect.ts";
import type { DetectorInput } from "../detect/types.ts";
import { ABLATIONS, addDetectorTallies, type DetectorVerdicts, detectorRows, evaluateAblations, evaluateAblationsAndFullDetector, evaluateFullDetector, tallyDetector } from "./ablations.ts";
import type { EvidenceCase } from "./baselines.ts";
import { cleanCase } from "./fixture.ts";

function broken(change: (c: DetectorInput) => void): EvidenceCase {
  const c = cleanCase();
  change(c);
  return { failure: true, input: c };
}

const dbLeak = (c: DetectorInput) => c.observation.database.probe.visible_rows.accounts!.push("a9");
const grammarExposure = (c: DetectorInput) => c.observation.grammar.intent_space.metrics.push("gross_revenue");
const validatorRefuses = (c: DetectorInput) => {
  c.observation.validator.allowed = false;
};
/** A structural compiler violation (lineage) that hides the compiler's result comparison until lineage is off. */
const lineageAndResult = (c: DetectorInput) => {
  if (c.observation.compiler?.kind !== "sql") throw new Error("fixture compiles");
  c.observation.compiler.sql = c.observation.compiler.sql.replace(/from (\w+)/, "from $1_archive as $1");
  c.observation.database.before_containment = { kind: "rows", rows: [{ value: 90 }] };
};

describe("ablations", () => {
  test("the seven ablations of the Python tool, in its order", () => {
    expect(ABLATIONS.map((a) => a.name)).toEqual([
      "without_lineage",
      "without_policy_version",
      "without_release_policy",
      "without_independent_oracle",
      "without_database_containment",
      "without_minimization",
      "without_transition_obligations",
    ]);
  });

  test("the disabled filter is backward compatible: absent or empty, the verdict is unchanged", () => {
    const c = broken(dbLeak).input!;
    const full = detect(c);
    expect(full.localized_surface).toBe("database");
    expect(detect({ ...c, disabled: new Set() })).toEqual(full);
    expect(detect({ ...c, disabled: new Set(["database"]) }).witness_class).toBe("clean");
  });

  test("a case caught only by one component is lost exactly by that component's ablation", () => {
    const table = evaluateAblations([broken(dbLeak), broken(validatorRefuses)]);
    expect(table.without_database_containment).toEqual({ caught: 1, total_failures: 2, missed: 1, catch_rate: 0.5, lost: 1 });
    expect(table.without_transition_obligations!.lost).toBe(1);
    expect(table.without_independent_oracle!.lost).toBe(1);
    expect(table.without_release_policy!.lost).toBe(0);
    expect(table.without_minimization!.lost).toBe(0);
    expect(table.without_policy_version!.lost).toBe(0);
  });

  test("a case also caught by another component is not lost", () => {
    const both = broken((c) => {
      dbLeak(c);
      grammarExposure(c);
    });
    const table = evaluateAblations([both]);
    expect(table.without_database_containment!.lost).toBe(0);
    expect(table.without_transition_obligations!.lost).toBe(0);
    expect(evaluateFullDetector([both])).toEqual({ caught: 1, total_failures: 1, missed: 0, catch_rate: 1 });
  });

  test("clean cases are not failures and invalid cases are never caught", () => {
    const table = evaluateAblations([{ failure: false, input: cleanCase() }, { failure: true, input: null }]);
    expect(table.without_lineage).toEqual({ caught: 0, total_failures: 1, missed: 1, catch_rate: 0, lost: 0 });
  });

  test("one detector pass gives what re-running the detector with each component off gives", () => {
    const cases: EvidenceCase[] = [
      broken(dbLeak),
      broken(grammarExposure),
      broken(validatorRefuses),
      broken((c) => {
        dbLeak(c);
        validatorRefuses(c);
      }),
      broken(lineageAndResult),
      { failure: true, input: cleanCase() },
      { failure: false, input: cleanCase() },
      { failure: true, input: null },
    ];
    const failures = cases.filter((c) => c.failure);
    const rerun = (disabled?: ReadonlySet<string>) => failures.map((c) => c.input !== null && detect({ ...c.input, disabled }).witness_class !== "clean");
    const full = rerun();
    const { ablations, fullDetector } = evaluateAblationsAndFullDetector(cases);
    // Counted run by run (as `strata reproduce` does when each run is done), the sums are the same.
    for (const cut of [0, 2, 5, cases.length]) {
      expect(detectorRows(addDetectorTallies([tallyDetector(cases.slice(cut)), tallyDetector(cases.slice(0, cut))]))).toEqual({ ablations, fullDetector });
    }
    expect(detectorRows(addDetectorTallies(cases.map((c) => tallyDetector([c]))))).toEqual({ ablations, fullDetector });
    expect(Object.values(ablations).some((row) => row.lost > 0)).toBe(true);
    expect(ablations).toEqual(evaluateAblations(cases));
    expect(fullDetector).toEqual(evaluateFullDetector(cases));
    expect(fullDetector.caught).toBe(full.filter(Boolean).length);
    for (const ablation of ABLATIONS) {
      const ablated = rerun(ablation.disabled);
      const caught = ablated.filter(Boolean).length;
      expect(ablations[ablation.name]).toEqual({
        caught,
        total_failures: failures.length,
        missed: failures.length - caught,
        catch_rate: caught / failures.length,
        lost: full.filter((hit, i) => hit && !ablated[i]).length,
      });
    }
    // The cases differ in what each ablation loses, so the comparison above is not vacuous.
    expect(new Set(ABLATIONS.map((a) => ablations[a.name]!.lost)).size).toBeGreaterThan(1);
    // Switched off, lineage unmasks the result comparison, so that case is not lost.
    const unmasked = broken(lineageAndResult).input!;
    expect(detect(unmasked).violations.map((v) => v.obligation)).toEqual(["lineage"]);
    expect(detect({ ...unmasked, disabled: new Set(["lineage"]) }).violations.map((v) => v.obligation)).toEqual(["sql_semantics"]);
    expect(evaluateAblations([{ failure: true, input: unmasked }]).without_lineage!.lost).toBe(0);
  });

  test("cases sharing one input are judged once and each counted, also across calls given the same map", () => {
    const inputs = [broken(dbLeak), broken(validatorRefuses), broken(lineageAndResult), broken(grammarExposure)].map((c) => c.input!);
    const repeated = [...inputs, ...inputs, ...inputs].map((input, i) => ({ failure: i % 5 !== 4, input }));
    const copies = repeated.map(({ failure, input }) => ({ failure, input: { ...input } }));
    const expected = tallyDetector(copies);
    // Some ablation loses some kills, so a count taken from the wrong input would show.
    expect(expected.full).toBeGreaterThan(0);
    expect(expected.lost.some((n) => n > 0)).toBe(true);
    const judged = new Map<DetectorInput, DetectorVerdicts>();
    expect(tallyDetector(repeated, ABLATIONS, judged)).toEqual(expected);
    expect(judged.size).toBe(inputs.length);
    const first = judged.get(inputs[0]!)!;
    // Each input's verdicts are kept: a later call with the map reads them instead of judging again.
    judged.set(inputs[0]!, { full: !first.full, ablated: first.ablated.map((hit) => !hit) });
    const flipped = tallyDetector(repeated.slice(0, 1), ABLATIONS, judged);
    expect(flipped.full).toBe(first.full ? 0 : 1);
    expect(tallyDetector(repeated.slice(0, 1))).toEqual(tallyDetector(copies.slice(0, 1)));
  });
});
