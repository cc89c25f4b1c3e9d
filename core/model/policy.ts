import { z } from "zod";
import { ownRecord } from "./own-record.ts";

/** Canonical policy: the same file format as the Python tool's policy.yaml, so its domains load unchanged. */
export const Principal = z.strictObject({
  id: z.string().min(1),
  role: z.string().min(1),
  tenant_ids: z.array(z.string().min(1)).min(1),
});
export type Principal = z.infer<typeof Principal>;

export const RolePolicy = z.strictObject({
  allowed_metrics: z.array(z.string()).default([]),
  allowed_dimensions: z.array(z.string()).default([]),
  allowed_time_ranges: z.array(z.string()).default([]),
  max_rows: z.int().min(1),
  max_cost: z.int().min(0),
  aggregate_only: z.boolean().default(true),
});
export type RolePolicy = z.infer<typeof RolePolicy>;

export const MetricPolicy = z.strictObject({
  expression: z.string().min(1),
  table: z.string().min(1),
  columns: z.array(z.string()).default([]),
  allowed_roles: z.array(z.string()).default([]),
  aliases: z.array(z.string()).default([]),
  grain: z.string().default("tenant"),
  cost: z.int().min(0).default(10),
});
export type MetricPolicy = z.infer<typeof MetricPolicy>;

export const DimensionPolicy = z.strictObject({
  column: z.string().min(1),
  allowed_roles: z.array(z.string()).default([]),
  sensitive: z.boolean().default(false),
  cost: z.int().min(0).default(1),
});
export type DimensionPolicy = z.infer<typeof DimensionPolicy>;

export const Policy = z.strictObject({
  version: z.string().min(1),
  principals: ownRecord(z.string(), Principal),
  roles: ownRecord(z.string(), RolePolicy),
  metrics: ownRecord(z.string(), MetricPolicy),
  dimensions: ownRecord(z.string(), DimensionPolicy),
});
export type Policy = z.infer<typeof Policy>;
