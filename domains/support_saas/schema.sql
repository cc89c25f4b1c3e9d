-- support_saas schema (Postgres, runs on PGlite).
-- Text keys so that any tenant id compares type-correctly with any key column.
-- No foreign keys (witness minimization deletes rows freely) and no roles, grants or
-- row-level security: the containment layer derives those from database.yaml.

create table tenants (
  id text primary key,
  name text not null
);

create table accounts (
  id text primary key,
  tenant_id text not null,
  legacy_tenant_id text,
  name text not null,
  region text not null,
  customer_email text not null
);

create table subscriptions (
  id text primary key,
  account_id text not null,
  plan text not null,
  status text not null
);

create table invoices (
  id text primary key,
  subscription_id text not null,
  invoice_date date not null,
  gross_amount_cents integer not null,
  net_amount_cents integer not null
);

create table agents (
  id text primary key,
  tenant_id text not null,
  email text not null,
  name text not null
);

create table support_tickets (
  id text primary key,
  account_id text not null,
  assigned_agent_id text,
  severity text not null,
  escalated boolean not null default false,
  resolution_hours integer not null,
  opened_on date not null
);

create table ticket_events (
  id text primary key,
  ticket_id text not null,
  event_type text not null,
  created_at timestamp not null
);
