import { expect, test } from "bun:test";
import { canonicalJson, prettyJson } from "../core/util/canonical-json.ts";
import { canonicalJsonSharing, prettyJsonSharing } from "./shared-members-json.ts";

/** Records with nested objects, arrays, empty containers, escapes, undefined members and shared members. */
function samples(): object[] {
  const shared = { zeta: [1, { b: "two\nlines", a: null }], alpha: { nested: { deeper: [] } }, empty: {} };
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const value = (depth: number): unknown => {
    const pick = next() % (depth > 2 ? 4 : 7);
    if (pick === 0) return next() % 1000;
    if (pick === 1) return `s${next() % 50}\t"q"`;
    if (pick === 2) return null;
    if (pick === 3) return next() % 2 === 0;
    if (pick === 4) return Array.from({ length: next() % 4 }, () => value(depth + 1));
    if (pick === 5) return shared;
    return Object.fromEntries(Array.from({ length: next() % 4 }, (_, i) => [`k${next() % 9}${i}`, value(depth + 1)]));
  };
  const records: object[] = [{}, { only: undefined }, { b: shared, a: shared, c: undefined, d: "x" }];
  for (let i = 0; i < 300; i++) records.push(Object.fromEntries(Array.from({ length: 1 + (next() % 6) }, (_, j) => [`m${next() % 7}${j}`, value(0)])));
  return records;
}

test("a record's JSON is exactly canonicalJson's and prettyJson's, including after its members were serialized once", () => {
  for (const record of samples()) {
    expect(canonicalJsonSharing(record)).toBe(canonicalJson(record));
    expect(prettyJsonSharing(record)).toBe(prettyJson(record));
    // The second time the members' text comes from the memo.
    expect(canonicalJsonSharing(record)).toBe(canonicalJson(record));
    expect(prettyJsonSharing(record)).toBe(prettyJson(record));
  }
});

test("a member object shared by two records is serialized once", () => {
  const member = { b: 1, a: [2] };
  let reads = 0;
  const counted = new Proxy(member, {
    ownKeys(target) {
      reads++;
      return Reflect.ownKeys(target);
    },
  });
  canonicalJsonSharing({ x: counted, id: 1 });
  const afterFirst = reads;
  expect(canonicalJsonSharing({ x: counted, id: 2 })).toBe('{"id":2,"x":{"a":[2],"b":1}}');
  expect(afterFirst).toBeGreaterThan(0);
  expect(reads).toBe(afterFirst);
});
