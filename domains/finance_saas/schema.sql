-- finance_saas schema (Postgres, runs on PGlite).
-- Text keys, no foreign keys, no roles/grants/RLS: containment comes from database.yaml.

create table advisors (
  id text primary key,
  firm_id text not null,
  name text not null,
  region text not null
);

create table households (
  id text primary key,
  firm_id text not null,
  legacy_firm_id text,
  advisor_id text,
  name text not null,
  tax_id text not null,
  segment text not null
);

create table accounts (
  id text primary key,
  household_id text not null,
  account_type text not null
);

create table transactions (
  id text primary key,
  account_id text not null,
  transaction_date date not null,
  transaction_type text not null,
  amount_cents integer not null,
  gross_amount_cents integer not null,
  fee_cents integer not null
);

create table balances (
  id text primary key,
  account_id text not null,
  balance_date date not null,
  market_value_cents bigint not null
);
