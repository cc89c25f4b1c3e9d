/** What the validator binds and every later layer must preserve. */
export interface Obligations {
  metric: string;
  tenant_scope: string[];
  row_budget: { max_rows: number; max_cost: number };
  time_range: string;
}
