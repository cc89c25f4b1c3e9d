import { describe, expect, test } from "bun:test";
import { canonicalJson, prettyJson } from "./canonical-json.ts";

describe("canonicalJson", () => {
  test("sorts object keys at every depth, inside arrays too", () => {
    const value = { b: 1, a: { d: [{ z: 1, y: { q: 2, p: 1 } }], c: "x" } };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[{"y":{"p":1,"q":2},"z":1}]},"b":1}');
  });

  test("the same data with keys inserted in another order serializes identically", () => {
    expect(canonicalJson({ x: 1, y: { b: 2, a: 3 } })).toBe(canonicalJson({ y: { a: 3, b: 2 }, x: 1 }));
  });

  test("arrays keep their order", () => {
    expect(canonicalJson([3, 1, 2, "b", "a"])).toBe('[3,1,2,"b","a"]');
  });

  test("undefined properties are dropped at every depth; null is kept", () => {
    expect(canonicalJson({ a: undefined, b: null, c: { d: undefined, e: 1 } })).toBe('{"b":null,"c":{"e":1}}');
  });

  test("integers stay integers and scalars pass through", () => {
    expect(canonicalJson({ n: 1.0, f: 0.5, s: "é", t: true })).toBe('{"f":0.5,"n":1,"s":"é","t":true}');
  });

  test("non-finite numbers throw, even deep inside", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow("cannot serialize NaN as JSON");
    expect(() => canonicalJson({ a: [1, { b: Number.POSITIVE_INFINITY }] })).toThrow("cannot serialize Infinity as JSON");
    expect(() => canonicalJson({ a: Number.NEGATIVE_INFINITY })).toThrow("cannot serialize -Infinity as JSON");
  });

  test("does not modify its input", () => {
    const value = { b: 1, a: [{ d: 1, c: 2 }] };
    canonicalJson(value);
    expect(Object.keys(value)).toEqual(["b", "a"]);
    expect(Object.keys(value.a[0]!)).toEqual(["d", "c"]);
  });
});

describe("prettyJson", () => {
  test("indents by two spaces, sorts keys and ends with one newline", () => {
    expect(prettyJson({ b: [1], a: { d: 1, c: undefined } })).toBe('{\n  "a": {\n    "d": 1\n  },\n  "b": [\n    1\n  ]\n}\n');
  });

  test("parses back to the same data as canonicalJson", () => {
    const value = { z: [{ b: 2, a: 1 }], y: "s", x: null };
    const pretty = prettyJson(value);
    expect(pretty.endsWith("}\n")).toBe(true);
    expect(pretty.endsWith("\n\n")).toBe(false);
    expect(canonicalJson(JSON.parse(pretty))).toBe(canonicalJson(value));
  });

  test("non-finite numbers throw", () => {
    expect(() => prettyJson({ a: Number.NaN })).toThrow("cannot serialize NaN as JSON");
  });
});
