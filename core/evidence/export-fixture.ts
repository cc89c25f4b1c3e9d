import type { Trace } from "../model/trace.ts";
import type { ExportContext } from "./export-common.ts";
import { cleanCase } from "./fixture.ts";

export const EXPORT_CONTEXT: ExportContext = { domain: "test_domain", suite: "seeded", policy_version: "v1", tool_version: "0.0.0-test", backend: "pglite" };

/** A trace for the export unit tests: the clean fixture case, with the verdict fields overridden. */
export function exportTrace(fields: Partial<Trace> & { task_id: string }): Trace {
  const input = cleanCase();
  return {
    domain: "test_domain",
    request: "Show revenue <for> tenant \"t1\" & co",
    principal: "analyst_t1",
    mutation: "none",
    semantic_ir: input.observation.proposed_plan,
    policy_version: "v1",
    surface_versions: { manifest: "v1", grammar: "v1", validator: "v1", compiler: "v1", database: "v1", release: "v1" },
    canonical: input.canonical,
    observation: input.observation,
    witness_class: "clean",
    expected_witness_class: "clean",
    localized_surface: null,
    expected_localized_surface: "database",
    containment_layer: null,
    expected_containment_layer: null,
    failed_obligation: null,
    violations: [],
    distinguishing: null,
    accounting_status: "clean_control",
    accounting_reason: "clean control stayed clean",
    differs_from_reference: [],
    witness_path: null,
    cost: { estimated: 3, tokens: 0, usd: 0 },
    error: null,
    ...fields,
  };
}

/** One trace of each accounting status. */
export function exportTraces(): Trace[] {
  const drift = { witness_class: "over_permissive", expected_witness_class: "over_permissive", localized_surface: "database", expected_localized_surface: "database" } as const;
  return [
    exportTrace({ task_id: "clean_01" }),
    exportTrace({ task_id: "killed_01", mutation: "db_rls_off", ...drift, failed_obligation: "row_containment", accounting_status: "killed", accounting_reason: "drift produced a witness",
      violations: [{ surface: "database", obligation: "row_containment", witness_class: "over_permissive", reasons: ["session sees <other> tenant's rows"] }] }),
    exportTrace({ task_id: "survived_01", mutation: "db_rls_off", ...drift, witness_class: "clean", localized_surface: null, accounting_status: "survived", accounting_reason: "drift & nothing caught it" }),
    exportTrace({ task_id: "fp_01", ...drift, expected_witness_class: "clean", failed_obligation: "row_containment", accounting_status: "false_positive", accounting_reason: "clean case flagged",
      violations: [{ surface: "database", obligation: "row_containment", witness_class: "over_permissive", reasons: ["reason with \"quotes\" & <tags>"] }] }),
    exportTrace({ task_id: "equiv_01", mutation: "noop_drift", accounting_status: "equivalent", accounting_reason: "no observable difference" }),
    exportTrace({ task_id: "invalid_01", mutation: "broken", accounting_status: "invalid", accounting_reason: "engine failed", error: "boom <\u0001>" }),
  ];
}

/** Tag balance of an XML document without comments or CDATA: every open tag closes, in order. */
export function xmlBalanced(xml: string): boolean {
  const stack: string[] = [];
  for (const match of xml.matchAll(/<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, closing, name, , selfClosing] = match;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  // Nothing that looks like markup may be left outside the matched tags.
  const stripped = xml.replace(/<\?xml[^>]*\?>/, "").replace(/<\/?[A-Za-z_][\w.-]*(?:\s+[\w:.-]+="[^"<]*")*\s*\/?>/g, "");
  return stack.length === 0 && !/[<>]/.test(stripped);
}
