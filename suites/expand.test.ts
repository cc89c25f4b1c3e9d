import { describe, expect, test } from "bun:test";
import { LocatedYaml } from "../core/input/located-yaml.ts";
import { SuiteFile } from "../core/model/suite.ts";
import { loadDomain } from "./load-domain.ts";
import { expandSuite } from "../core/suites/expand.ts";

const domain = loadDomain("support_saas");

function expand(yaml: string) {
  const source = LocatedYaml.parse("tasks/x.yaml", yaml);
  return expandSuite(domain, source.validate(SuiteFile), source);
}

describe("matrix expansion", () => {
  test("a variant overrides only the fields it names", () => {
    const tasks = expand(`
matrix:
  - mutation: compiler_drops_tenant_predicate
    count: 2
    principal: acme_analyst
    request: "case {index}"
    semantic_query: { metric: ticket_count, dimensions: [region], time_range: last_fiscal_month, limit: 50 }
    variants:
      "2": { metric: net_revenue }
`);
    expect(tasks.map((t) => t.id)).toEqual(["compiler_drops_tenant_predicate_01", "compiler_drops_tenant_predicate_02"]);
    expect(tasks[1]!.semantic_query).toEqual({ metric: "net_revenue", dimensions: ["region"], filters: {}, time_range: "last_fiscal_month", grain: "month", limit: 50 });
    expect(tasks[0]!.request).toBe("case 1");
    expect(tasks[0]!.expected_witness_class).toBe("lowering_violation");
  });

  test("an unknown principal is reported at its line and column", () => {
    expect(() =>
      expand(`matrix:
  - mutation: none
    principal: mallory
    request: x
    semantic_query: { metric: ticket_count }
`),
    ).toThrow("tasks/x.yaml:3:16: unknown principal: mallory");
  });

  test("an unknown metric is reported at the metric", () => {
    expect(() =>
      expand(`tasks:
  - id: t1
    principal: acme_analyst
    request: x
    semantic_query:
      metric: revenue_per_unicorn
`),
    ).toThrow("tasks/x.yaml:6:15: unknown metric: revenue_per_unicorn");
  });
});
