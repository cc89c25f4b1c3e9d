import { expect, test } from "bun:test";
import { z } from "zod";
import { InputError } from "./input-error.ts";
import { LocatedYaml } from "./located-yaml.ts";

const TEXT = `roles:
  analyst:
    max_rows: 100
    metrics: [revenue, tickets]
  auditor:
    max_rows: many
`;
const Roles = z.strictObject({ roles: z.record(z.string(), z.strictObject({ max_rows: z.number(), metrics: z.array(z.string()).optional() })) });

function failure(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

test("a value read by another parser validates and locates errors exactly as the located parser does", () => {
  const located = LocatedYaml.parse("roles.yaml", TEXT);
  const given = LocatedYaml.withValue("roles.yaml", TEXT, Bun.YAML.parse(TEXT));
  expect(given.value()).toEqual(located.value());
  const a = failure(() => located.validate(Roles));
  const b = failure(() => given.validate(Roles));
  expect(b.message).toBe(a.message);
  // roles.auditor.max_rows, on line 6.
  expect(a.message).toContain("roles.yaml:6:");
  // A sub-path, and a failure raised by the caller at a path.
  const Metrics = z.array(z.enum(["revenue"]));
  expect(failure(() => given.validate(Metrics, ["roles", "analyst", "metrics"])).message).toBe(failure(() => located.validate(Metrics, ["roles", "analyst", "metrics"])).message);
  expect(given.locate(["roles", "analyst", "metrics", 1])).toEqual(located.locate(["roles", "analyst", "metrics", 1]));
  expect(given.locate(["roles", "analyst", "metrics", 1])).toEqual({ line: 4, column: 24 });
});

test("a syntax error is reported where it is, when the located parser first reads the text", () => {
  const broken = "roles:\n  analyst: [revenue\n";
  expect(failure(() => LocatedYaml.parse("x.yaml", broken)).message).toContain("x.yaml:");
  const duplicated = "a: 1\na: 2\n";
  expect(failure(() => LocatedYaml.parse("d.yaml", duplicated)).message).toContain("d.yaml:2:");
  // Given a value, the text is only parsed when a position is needed.
  const given = LocatedYaml.withValue("d.yaml", duplicated, { a: 2 });
  expect(given.value()).toEqual({ a: 2 });
  expect(failure(() => given.locate(["a"])).message).toContain("d.yaml:2:");
});
