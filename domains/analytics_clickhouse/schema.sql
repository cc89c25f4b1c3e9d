-- analytics_clickhouse schema (DuckDB). ClickHouse MergeTree tables become plain tables.
-- No constraints besides primary keys and no row policies: containment comes from
-- database.yaml. Event times are UTC TIMESTAMPs.

-- ClickHouse aggregate spellings used by the metric expressions in policy.yaml.
-- count() with no argument is native DuckDB. Macros expand at bind time, so the
-- aggregates inside them behave as if written inline.
create or replace macro uniqExact(x) as count(distinct x);
create or replace macro countIf(cond) as count(*) filter (where cond);
create or replace macro uniqExactIf(x, cond) as count(distinct case when cond then x end);

create table projects (
  id varchar primary key,
  organization_id varchar not null,
  name varchar not null,
  timezone varchar not null
);

-- One row per session version, unmerged duplicates share a session_id.
create table sessions (
  id varchar primary key,
  project_id varchar not null,
  session_id varchar not null,
  user_id varchar not null,
  started_at timestamp not null
);

create table events (
  event_id varchar primary key,
  project_id varchar not null,
  legacy_project_id varchar,
  shard integer not null,
  session_id varchar not null,
  user_id varchar not null,
  event_name varchar not null,
  cohort_id varchar not null,
  country varchar not null,
  platform varchar not null,
  event_time timestamp not null
);

-- Materialized copy of events (same columns), refreshed on a schedule.
create table events_mv (
  event_id varchar primary key,
  project_id varchar not null,
  legacy_project_id varchar,
  shard integer not null,
  session_id varchar not null,
  user_id varchar not null,
  event_name varchar not null,
  cohort_id varchar not null,
  country varchar not null,
  platform varchar not null,
  event_time timestamp not null
);

-- A 10% sample of events (same columns).
create table events_sampled (
  event_id varchar primary key,
  project_id varchar not null,
  legacy_project_id varchar,
  shard integer not null,
  session_id varchar not null,
  user_id varchar not null,
  event_name varchar not null,
  cohort_id varchar not null,
  country varchar not null,
  platform varchar not null,
  event_time timestamp not null
);
