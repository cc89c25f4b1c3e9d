import { describe, expect, test } from "bun:test";
import { lineageQuery } from "./read-rows-query.ts";

const keys = new Map([
  ["accounts", "id"],
  ["support_tickets", "id"],
  ["events", "event_id"],
  ["projects", "id"],
]);
const asText = (e: string) => `cast(${e} as text)`;

describe("lineageQuery", () => {
  test("lists the key of every relation, keeps FROM and WHERE as written, drops grouping, ordering and the limit", () => {
    const sql =
      "select count(distinct support_tickets.id) as value, accounts.plan as plan from accounts left join support_tickets on support_tickets.account_id = accounts.id " +
      "where accounts.tenant_id in ('t1') and support_tickets.opened_on >= date '2026-01-01' group by accounts.plan having count(*) > 2 order by 1 desc limit 100";
    expect(lineageQuery(sql, keys, asText)).toEqual({
      sql:
        "select cast(accounts.id as text) as k0, cast(support_tickets.id as text) as k1 from accounts left join support_tickets on support_tickets.account_id = accounts.id " +
        "where accounts.tenant_id in ('t1') and support_tickets.opened_on >= date '2026-01-01'",
      tables: ["accounts", "support_tickets"],
    });
  });

  test("columns are qualified by the alias, with or without AS, and by the table of a schema-qualified name", () => {
    expect(lineageQuery("select count() from events_table_alias_free.events e join projects as p on p.id = e.project_id", keys, asText)?.sql).toBe(
      "select cast(e.event_id as text) as k0, cast(p.id as text) as k1 from events_table_alias_free.events e join projects as p on p.id = e.project_id",
    );
    expect(lineageQuery("SELECT COUNT(*) FROM accounts, projects WHERE accounts.id = projects.id LIMIT 5;", keys, asText)).toEqual({
      sql: "select cast(accounts.id as text) as k0, cast(projects.id as text) as k1 from accounts, projects where accounts.id = projects.id",
      tables: ["accounts", "projects"],
    });
  });

  test("words inside strings and parentheses do not end a clause", () => {
    const sql = "select count(*) from events where events.event_name in ('group', 'limit') and (events.country = 'order' or events.platform = 'from') order by 1";
    expect(lineageQuery(sql, keys, asText)?.sql).toBe(
      "select cast(events.event_id as text) as k0 from events where events.event_name in ('group', 'limit') and (events.country = 'order' or events.platform = 'from')",
    );
  });

  test("statements it cannot follow give null", () => {
    const cannot = [
      "select count(*) from (select * from events) e",
      "with x as (select * from events) select count(*) from x",
      "select count(*) from events where events.project_id in (select id from projects)",
      "select count(*) from events union all select count(*) from projects",
      "select count(*) from sessions",
      "select 1",
      "update events set country = 'x'",
      'select count(*) from "events"',
      "select count(*) from events where",
    ];
    for (const sql of cannot) expect(lineageQuery(sql, keys, asText)).toBeNull();
  });
});
