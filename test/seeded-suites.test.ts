import { describe, expect, test } from "bun:test";
import { runInProcess } from "./helpers.ts";

const DOMAINS = ["support_saas", "finance_saas", "analytics_clickhouse"] as const;

describe.each(DOMAINS)("%s", (domain) => {
  test(
    "seeded suite: every drifted case is killed, or listed as survived or equivalent with its reason",
    async () => {
      const { traces, summary, witnesses } = await runInProcess(domain, "seeded");
      expect(traces.length).toBeGreaterThanOrEqual(20);
      for (const t of traces) {
        expect(t.mutation).not.toBe("none");
        expect(["killed", "survived", "equivalent"]).toContain(t.accounting_status);
        if (t.accounting_status !== "killed") {
          expect(t.accounting_reason.length).toBeGreaterThan(10);
          const listed = t.accounting_status === "survived" ? summary.survivors : summary.equivalents;
          expect(listed.map((x) => x.task_id)).toContain(t.task_id);
        } else {
          // A kill names the layer, the obligation and the reasons it found.
          expect(t.localized_surface).not.toBeNull();
          expect(t.failed_obligation).not.toBeNull();
          expect(t.violations[0]!.reasons.length).toBeGreaterThan(0);
        }
      }
      expect(summary.killed + summary.survived + summary.equivalent).toBe(traces.length);
      expect(witnesses.length).toBe(summary.killed);
      // Expected labels only score accuracy; on the seeded suites the detector's own verdicts agree with them.
      expect(summary.localization_accuracy).toBe(1);
    },
    120_000,
  );

  test(
    "clean controls: no false positives",
    async () => {
      const { summary } = await runInProcess(domain, "clean_controls", { minimize: false });
      expect(summary.total).toBe(80);
      expect(summary.false_positives).toBe(0);
      expect(summary.clean_controls).toBe(80);
      expect(summary.invalid).toBe(0);
    },
    60_000,
  );
});
