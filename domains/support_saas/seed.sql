-- support_saas seed. Reference "today" is 2026-06-24, last_month is calendar May 2026,
-- last_fiscal_month is 2026-04-27 .. 2026-05-25.
--
-- What the rows are for:
--   * three tenants (acme, beta, gamma), every tenant has rows in every window.
--   * legacy keys differ from current keys and collide: acct-04 (beta) was migrated from
--     acme and keeps legacy acme, acct-06 (gamma) was migrated from beta.
--   * acct-01 has two enterprise subscriptions (sub-01, sub-02): its tickets repeat inside
--     the enterprise group when tickets are grouped by plan.
--   * acct-03 (acme) has tickets but no subscription: only an outer join keeps them.
--   * several invoices and several tickets (with several events) per account: joining
--     every table of the graph multiplies measured rows.
--   * invoices and tickets dated 2026-04-27..04-30 (fiscal period 5, not calendar May) and
--     2026-05-25..05-31 (calendar May, not fiscal period 5).
--   * gross differs from net on every invoice.

insert into tenants (id, name) values
  ('acme', 'Acme Health'),
  ('beta', 'Beta Logistics'),
  ('gamma', 'Gamma Retail');

insert into accounts (id, tenant_id, legacy_tenant_id, name, region, customer_email) values
  ('acct-01', 'acme', 'old-acme', 'Acme West', 'west', 'buyer-west@acme.example'),
  ('acct-02', 'acme', 'old-acme', 'Acme East', 'east', 'buyer-east@acme.example'),
  ('acct-03', 'acme', 'old-acme', 'Acme Labs', 'west', 'labs@acme.example'),
  ('acct-04', 'beta', 'acme', 'Beta North (ex-Acme)', 'north', 'ops@beta.example'),
  ('acct-05', 'beta', 'old-beta', 'Beta South', 'south', 'finance@beta.example'),
  ('acct-06', 'gamma', 'beta', 'Gamma Central (ex-Beta)', 'central', 'it@gamma.example'),
  ('acct-07', 'gamma', 'old-gamma', 'Gamma Coast', 'west', 'coast@gamma.example');

insert into subscriptions (id, account_id, plan, status) values
  ('sub-01', 'acct-01', 'enterprise', 'active'),
  ('sub-02', 'acct-01', 'enterprise', 'active'),
  ('sub-03', 'acct-02', 'pro', 'active'),
  ('sub-04', 'acct-04', 'enterprise', 'active'),
  ('sub-05', 'acct-05', 'starter', 'active'),
  ('sub-06', 'acct-06', 'pro', 'active'),
  ('sub-07', 'acct-07', 'starter', 'past_due');

insert into invoices (id, subscription_id, invoice_date, gross_amount_cents, net_amount_cents) values
  ('inv-01', 'sub-01', '2026-04-28', 11000, 9500),
  ('inv-02', 'sub-01', '2026-05-12', 12000, 10000),
  ('inv-03', 'sub-02', '2026-05-20', 8000, 7200),
  ('inv-04', 'sub-02', '2026-05-27', 3000, 2500),
  ('inv-05', 'sub-03', '2026-05-05', 5000, 4200),
  ('inv-06', 'sub-03', '2026-05-29', 4000, 3300),
  ('inv-07', 'sub-03', '2026-04-14', 5000, 4100),
  ('inv-08', 'sub-01', '2025-12-30', 9000, 8000),
  ('inv-09', 'sub-04', '2026-05-10', 7000, 6100),
  ('inv-10', 'sub-04', '2026-04-29', 1500, 1200),
  ('inv-11', 'sub-05', '2026-05-18', 2500, 2100),
  ('inv-12', 'sub-05', '2026-05-30', 2600, 2200),
  ('inv-13', 'sub-06', '2026-05-15', 6400, 5600),
  ('inv-14', 'sub-07', '2026-05-26', 1900, 1500);

insert into agents (id, tenant_id, email, name) values
  ('agt-01', 'acme', 'avery@acme.example', 'Avery'),
  ('agt-02', 'acme', 'alex@acme.example', 'Alex'),
  ('agt-03', 'beta', 'blair@beta.example', 'Blair'),
  ('agt-04', 'gamma', 'gale@gamma.example', 'Gale');

insert into support_tickets (id, account_id, assigned_agent_id, severity, escalated, resolution_hours, opened_on) values
  ('tkt-01', 'acct-01', 'agt-01', 'high', true, 24, '2026-05-04'),
  ('tkt-02', 'acct-01', 'agt-01', 'medium', false, 10, '2026-05-11'),
  ('tkt-03', 'acct-01', 'agt-02', 'low', false, 4, '2026-04-29'),
  ('tkt-04', 'acct-01', 'agt-02', 'high', true, 30, '2026-05-27'),
  ('tkt-05', 'acct-02', 'agt-01', 'low', false, 6, '2026-05-06'),
  ('tkt-06', 'acct-02', 'agt-02', 'high', true, 32, '2026-05-19'),
  ('tkt-07', 'acct-03', 'agt-01', 'medium', false, 14, '2026-05-08'),
  ('tkt-08', 'acct-03', 'agt-02', 'high', true, 20, '2026-05-21'),
  ('tkt-09', 'acct-02', 'agt-01', 'medium', false, 9, '2026-04-30'),
  ('tkt-10', 'acct-04', 'agt-03', 'high', true, 18, '2026-05-07'),
  ('tkt-11', 'acct-04', 'agt-03', 'medium', false, 11, '2026-05-14'),
  ('tkt-12', 'acct-05', 'agt-03', 'medium', false, 12, '2026-05-22'),
  ('tkt-13', 'acct-05', 'agt-03', 'low', false, 5, '2026-05-28'),
  ('tkt-14', 'acct-06', 'agt-04', 'high', true, 26, '2026-05-09'),
  ('tkt-15', 'acct-07', 'agt-04', 'low', false, 7, '2026-05-13');

insert into ticket_events (id, ticket_id, event_type, created_at) values
  ('evt-01', 'tkt-01', 'created', '2026-05-04 08:00:00'),
  ('evt-02', 'tkt-01', 'escalated', '2026-05-04 10:00:00'),
  ('evt-03', 'tkt-01', 'resolved', '2026-05-05 08:00:00'),
  ('evt-04', 'tkt-02', 'created', '2026-05-11 09:00:00'),
  ('evt-05', 'tkt-02', 'resolved', '2026-05-11 19:00:00'),
  ('evt-06', 'tkt-03', 'created', '2026-04-29 12:00:00'),
  ('evt-07', 'tkt-04', 'created', '2026-05-27 07:30:00'),
  ('evt-08', 'tkt-04', 'escalated', '2026-05-27 09:00:00'),
  ('evt-09', 'tkt-05', 'created', '2026-05-06 14:00:00'),
  ('evt-10', 'tkt-06', 'created', '2026-05-19 08:00:00'),
  ('evt-11', 'tkt-06', 'escalated', '2026-05-19 12:00:00'),
  ('evt-12', 'tkt-06', 'resolved', '2026-05-20 16:00:00'),
  ('evt-13', 'tkt-07', 'created', '2026-05-08 10:00:00'),
  ('evt-14', 'tkt-08', 'created', '2026-05-21 11:00:00'),
  ('evt-15', 'tkt-08', 'escalated', '2026-05-21 15:00:00'),
  ('evt-16', 'tkt-10', 'created', '2026-05-07 08:00:00'),
  ('evt-17', 'tkt-10', 'escalated', '2026-05-07 09:00:00'),
  ('evt-18', 'tkt-11', 'created', '2026-05-14 10:00:00'),
  ('evt-19', 'tkt-12', 'created', '2026-05-22 13:00:00'),
  ('evt-20', 'tkt-13', 'created', '2026-05-28 09:00:00'),
  ('evt-21', 'tkt-14', 'created', '2026-05-09 08:00:00'),
  ('evt-22', 'tkt-14', 'escalated', '2026-05-09 10:00:00'),
  ('evt-23', 'tkt-15', 'created', '2026-05-13 16:00:00');
