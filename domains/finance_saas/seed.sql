-- finance_saas seed. Reference "today" is 2026-06-24, last_month is calendar May 2026,
-- last_fiscal_month is 2026-04-27 .. 2026-05-25, quarter_to_date 2026-04-01 .. 2026-06-24.
--
-- What the rows are for:
--   * three firms (north, south, central) with households, accounts and flows in May.
--   * legacy firm keys differ from firm_id and collide: hh-s1 (south) keeps legacy north,
--     hh-c1 (central) keeps legacy south.
--   * hh-n3 is self-directed (no advisor): an inner join to advisors drops it.
--   * north accounts have several transactions and two month-end balances each, so joining
--     both branches under accounts multiplies measured rows.
--   * transactions on 2026-04-28/04-30 (fiscal period 5 only) and 2026-05-26..05-29 (calendar
--     May only), balance snapshots on 2026-04-30 (fiscal only) and 2026-05-31 (calendar only).
--   * net amount differs from gross amount on every transaction.

insert into advisors (id, firm_id, name, region) values
  ('adv-n1', 'north', 'Nora Lind', 'west'),
  ('adv-n2', 'north', 'Niall Ortiz', 'east'),
  ('adv-s1', 'south', 'Sana Patel', 'east'),
  ('adv-c1', 'central', 'Carl Moreau', 'midwest');

insert into households (id, firm_id, legacy_firm_id, advisor_id, name, tax_id, segment) values
  ('hh-n1', 'north', 'legacy-north', 'adv-n1', 'North Family Office', '111-22-3333', 'high_net_worth'),
  ('hh-n2', 'north', 'legacy-north', 'adv-n2', 'North Growth Trust', '222-33-4444', 'mass_affluent'),
  ('hh-n3', 'north', 'legacy-north', null, 'Nguyen Self-Directed', '444-55-6666', 'mass_affluent'),
  ('hh-s1', 'south', 'north', 'adv-s1', 'South Retirement Plan (ex-North)', '333-44-5555', 'retirement'),
  ('hh-s2', 'south', 'legacy-south', 'adv-s1', 'Sorensen Household', '555-66-7777', 'high_net_worth'),
  ('hh-c1', 'central', 'south', 'adv-c1', 'Central Endowment (ex-South)', '666-77-8888', 'mass_affluent');

insert into accounts (id, household_id, account_type) values
  ('acct-n1', 'hh-n1', 'taxable'),
  ('acct-n2', 'hh-n1', 'ira'),
  ('acct-n3', 'hh-n2', 'taxable'),
  ('acct-n4', 'hh-n3', 'roth_ira'),
  ('acct-s1', 'hh-s1', 'ira'),
  ('acct-s2', 'hh-s2', 'taxable'),
  ('acct-c1', 'hh-c1', 'taxable');

insert into transactions (id, account_id, transaction_date, transaction_type, amount_cents, gross_amount_cents, fee_cents) values
  ('txn-01', 'acct-n1', '2026-05-06', 'deposit', 150000, 175000, 12000),
  ('txn-02', 'acct-n1', '2026-05-27', 'deposit', 40000, 42000, 1500),
  ('txn-03', 'acct-n2', '2026-05-14', 'withdrawal', -25000, 25000, 5500),
  ('txn-04', 'acct-n2', '2026-04-28', 'deposit', 60000, 64000, 2000),
  ('txn-05', 'acct-n3', '2026-05-19', 'deposit', 30000, 33000, 2500),
  ('txn-06', 'acct-n4', '2026-05-08', 'deposit', 20000, 21000, 1800),
  ('txn-07', 'acct-n4', '2026-05-29', 'withdrawal', -5000, 5000, 400),
  ('txn-08', 'acct-n3', '2026-04-30', 'deposit', 12000, 12500, 900),
  ('txn-09', 'acct-n1', '2026-04-10', 'deposit', 80000, 86000, 3000),
  ('txn-10', 'acct-s1', '2026-05-09', 'deposit', 90000, 100000, 8000),
  ('txn-11', 'acct-s2', '2026-05-21', 'deposit', 45000, 47000, 3000),
  ('txn-12', 'acct-s1', '2026-05-26', 'withdrawal', -10000, 10000, 700),
  ('txn-13', 'acct-c1', '2026-05-12', 'deposit', 70000, 74000, 4200);

insert into balances (id, account_id, balance_date, market_value_cents) values
  ('bal-01', 'acct-n1', '2026-04-30', 1700000),
  ('bal-02', 'acct-n1', '2026-05-31', 1750000),
  ('bal-03', 'acct-n2', '2026-04-30', 700000),
  ('bal-04', 'acct-n2', '2026-05-31', 750000),
  ('bal-05', 'acct-n3', '2026-05-31', 420000),
  ('bal-06', 'acct-n4', '2026-05-31', 95000),
  ('bal-07', 'acct-n4', '2026-04-30', 80000),
  ('bal-08', 'acct-s1', '2026-04-30', 580000),
  ('bal-09', 'acct-s1', '2026-05-31', 600000),
  ('bal-10', 'acct-s2', '2026-05-31', 310000),
  ('bal-11', 'acct-c1', '2026-05-31', 505000);
