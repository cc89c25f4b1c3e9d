import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderSchema, SCHEMAS } from "./gen-schemas.ts";

test.each(Object.keys(SCHEMAS))("docs/schemas/%s.schema.json is generated from the current zod schema", (name) => {
  const committed = readFileSync(join(import.meta.dir, "..", "docs", "schemas", `${name}.schema.json`), "utf8");
  expect(committed).toBe(renderSchema(name));
  expect(JSON.parse(committed).$schema).toContain("json-schema.org");
});
