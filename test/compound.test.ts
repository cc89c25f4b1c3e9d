import { describe, expect, test } from "bun:test";
import { runInProcess } from "./helpers.ts";

describe("compound mutants (support_saas tasks/compound.yaml)", () => {
  test("each is killed at its earliest drifted layer, and stacked drifts defeat containment", async () => {
    const { traces } = await runInProcess("support_saas", "compound", { minimize: false });
    const byId = Object.fromEntries(traces.map((t) => [t.task_id, t]));
    for (const t of traces) {
      expect(t.accounting_status).toBe("killed");
      expect(t.localized_surface).toBe(t.expected_localized_surface);
    }
    // Alone, a validator that skips sensitive columns is contained by the grammar; with the
    // grammar and the database's column privileges drifted too, the e-mails reach the user.
    const three = byId["compound-grammar-validator-app-deny"]!;
    expect(three.containment_layer).toBeNull();
    expect(three.observation!.end_to_end.released).toBe(true);
    expect(Object.keys(three.observation!.end_to_end.rows[0] ?? {})).toContain("customer_email");
    expect(new Set(three.violations.map((v) => v.surface))).toEqual(new Set(["grammar", "validator", "database", "release"]));
    // A dropped tenant predicate is contained by RLS, unless RLS itself checks the legacy key.
    const both = byId["compound-tenant-drop-and-legacy-rls"]!;
    expect(both.containment_layer).toBeNull();
    expect(both.violations.some((v) => v.surface === "database")).toBe(true);
  }, 60_000);
});
