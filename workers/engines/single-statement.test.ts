import { expect, test } from "bun:test";
import { isSingleStatement } from "./single-statement.ts";

test("one statement, with semicolons only at the end or inside literals and comments", () => {
  for (const sql of [
    "select 1",
    "select 1;",
    "select 1 ;  ; \n",
    "select ';' as x",
    "select 'it''s; fine' as x",
    'select 1 as "a;b"',
    "select 1 -- ; not a second statement",
    "select 1 /* ; */ as x",
    "select 1; -- trailing comment",
  ]) {
    expect({ sql, single: isSingleStatement(sql) }).toEqual({ sql, single: true });
  }
});

test("more than one statement, or text it cannot follow, is not", () => {
  for (const sql of [
    "select 1; select 2",
    "select 1;select 2",
    "select 1; set role postgres",
    "select 'x'; select 'y'",
    "select 1 -- c\n; select 2",
    "select $$;$$",
    "select 'unterminated",
    "select 1 /* unterminated",
    "select 1 /* /* nested */ */",
  ]) {
    expect({ sql, single: isSingleStatement(sql) }).toEqual({ sql, single: false });
  }
});
