import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Domain } from "../core/domain/domain.ts";
import { domainFeatures } from "../core/domain/features.ts";
import { unusedSpellings } from "../core/domain/retarget.ts";
import { joinGraphProblems, tablesIn } from "../core/domain/join-graph.ts";
import { InputError } from "../core/input/input-error.ts";
import { UsageError } from "../core/input/usage-error.ts";
import { LocatedYaml } from "../core/input/located-yaml.ts";
import { DomainDatabase, RETARGET_DIALECTS } from "../core/model/database.ts";
import { Policy } from "../core/model/policy.ts";
import { SurfaceConfig } from "../core/model/surfaces.ts";
import { EMBEDDED_DOMAIN_FILES } from "./embedded-domains.ts";

export const BUILTIN_DOMAINS_DIR = resolve(import.meta.dir, "..", "domains");
export const BUILTIN_DOMAINS = ["support_saas", "finance_saas", "analytics_clickhouse"] as const;

export function domainDirectory(name: string, domainPath?: string): string {
  if (domainPath) return resolve(domainPath);
  if (!(BUILTIN_DOMAINS as readonly string[]).includes(name)) {
    throw new UsageError(`unknown built-in domain: ${name}`, `use one of ${BUILTIN_DOMAINS.join(", ")}, or --domain-path DIR for your own`);
  }
  return join(BUILTIN_DOMAINS_DIR, name);
}

/**
 * The embedded copy of a built-in domain file, used when domains/ is not on disk (a compiled
 * binary, see scripts/build-binary.ts); undefined for any other file.
 */
function embeddedText(file: string): string | undefined {
  const rel = relative(BUILTIN_DOMAINS_DIR, resolve(file));
  if (rel.startsWith("..") || existsSync(file)) return undefined;
  return EMBEDDED_DOMAIN_FILES[rel.split(sep).join("/")];
}

/** Whether a domain file exists, on disk or (for a built-in domain) in the embedded copy. */
export function sourceExists(file: string): boolean {
  return existsSync(file) || embeddedText(file) !== undefined;
}

/** A built-in domain's files (path relative to its folder, text) from the embedded copy. */
export function embeddedDomainFiles(name: string): [string, string][] {
  return Object.entries(EMBEDDED_DOMAIN_FILES)
    .filter(([path]) => path.startsWith(`${name}/`))
    .map(([path, text]) => [path.slice(name.length + 1), text]);
}

function readText(file: string): string {
  const embedded = embeddedText(file);
  if (embedded !== undefined) return embedded;
  if (!existsSync(file)) {
    throw new InputError(file, 1, 1, "file not found", "create it (start from `strata init-domain support_saas --out DIR`)");
  }
  return readFileSync(file, "utf8");
}

export function readYaml(file: string): LocatedYaml {
  return parseYaml(file, readText(file));
}

/**
 * A built-in domain file is read with Bun's native YAML parser, about 30 times faster than the
 * located one while a process starts cold (0.2 s of every CLI start), and gives the same values
 * for these files (a test pins it, and that each still parses, duplicate keys refused, under the
 * located parser); positions are parsed only if an error must be located. Any other file gets the
 * located parser, which is the one that defines what this tool reads.
 */
function parseYaml(file: string, text: string): LocatedYaml {
  return isBuiltinFile(file) ? LocatedYaml.withValue(displayPath(file), text, Bun.YAML.parse(text)) : LocatedYaml.parse(displayPath(file), text);
}

/**
 * How messages name a domain file: its path, except for a built-in domain's file embedded in a
 * compiled binary, which has no path a user could open; that one is named `domains/<name>/...`.
 */
export function displayPath(file: string): string {
  if (!isBuiltinFile(file) || existsSync(BUILTIN_DOMAINS_DIR)) return file;
  return ["domains", ...relative(BUILTIN_DOMAINS_DIR, resolve(file)).split(sep)].join("/");
}

/** Whether `file` belongs to a built-in domain (which a user changes by copying it with `strata init-domain`). */
export function isBuiltinFile(file: string): boolean {
  const rel = relative(BUILTIN_DOMAINS_DIR, resolve(file));
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

type LoadedDomain = Domain & { dir: string };

/** Domains already loaded, by name, folder and the text of every file they were read from. */
const loaded = new Map<string, { domain: LoadedDomain; files: [string, string][] }>();
const KEPT_DOMAINS = 32;

/**
 * Loads and cross-checks a domain folder; every problem is reported at its file, line and column.
 * A process loads the same domain many times (each run, its freeze, its workers, each evidence
 * table), and parsing and checking it costs about 12 ms; a domain whose files all read the same as
 * last time is not parsed again. Each caller gets its own copy.
 */
export function loadDomain(name: string, domainPath?: string): LoadedDomain {
  const dir = domainDirectory(name, domainPath);
  const yamlFiles = ["policy.yaml", "surfaces.yaml", "database.yaml"].map((file) => join(dir, file));
  const key = [name, dir, ...yamlFiles.map(readText)].join("\u0000");
  const known = loaded.get(key);
  if (known?.files.every(([file, text]) => readText(file) === text)) return structuredClone(known.domain);
  const files: [string, string][] = [];
  const read = (file: string) => {
    const text = readText(file);
    files.push([file, text]);
    return text;
  };
  const domain = parseDomain(name, dir, read);
  if (loaded.size >= KEPT_DOMAINS) loaded.delete(loaded.keys().next().value!);
  loaded.set(key, { domain, files });
  return structuredClone(domain);
}

function parseDomain(name: string, dir: string, readText: (file: string) => string): LoadedDomain {
  const readYaml = (file: string) => parseYaml(file, readText(file));
  const policyFile = readYaml(join(dir, "policy.yaml"));
  const surfacesFile = readYaml(join(dir, "surfaces.yaml"));
  const databaseFile = readYaml(join(dir, "database.yaml"));
  const policy = policyFile.validate(Policy);
  const surfaces = surfacesFile.validate(SurfaceConfig);
  const database = databaseFile.validate(DomainDatabase);

  for (const [id, principal] of Object.entries(policy.principals)) {
    if (principal.id !== id) policyFile.fail(["principals", id, "id"], `principal key ${id} and id ${principal.id} differ`, "make them the same");
    if (!policy.roles[principal.role]) {
      policyFile.fail(["principals", id, "role"], `unknown role: ${principal.role}`, `define it under roles, or use one of: ${Object.keys(policy.roles).join(", ")}`);
    }
  }
  for (const [role, spec] of Object.entries(policy.roles)) {
    spec.allowed_metrics.forEach((m, i) => {
      if (!policy.metrics[m]) policyFile.fail(["roles", role, "allowed_metrics", i], `unknown metric: ${m}`, "define it under metrics or remove it");
    });
    spec.allowed_dimensions.forEach((d, i) => {
      if (!policy.dimensions[d]) policyFile.fail(["roles", role, "allowed_dimensions", i], `unknown dimension: ${d}`, "define it under dimensions or remove it");
    });
    spec.allowed_time_ranges.forEach((r, i) => {
      if (!database.time_ranges[r]) {
        policyFile.fail(["roles", role, "allowed_time_ranges", i], `time range ${r} has no definition`, `define it under time_ranges in ${join(dir, "database.yaml")}`);
      }
    });
  }
  for (const [name, metric] of Object.entries(policy.metrics)) {
    if (!database.tables[metric.table]) policyFile.fail(["metrics", name, "table"], `table ${metric.table} is not declared`, "declare it under tables in database.yaml");
    for (const t of tablesIn(metric.expression)) {
      if (!database.tables[t]) policyFile.fail(["metrics", name, "expression"], `expression reads undeclared table ${t}`, "declare it under tables in database.yaml");
    }
  }
  for (const [name, dimension] of Object.entries(policy.dimensions)) {
    for (const t of tablesIn(dimension.column)) {
      if (!database.tables[t]) policyFile.fail(["dimensions", name, "column"], `column reads undeclared table ${t}`, "declare it under tables in database.yaml");
    }
  }
  const problem = joinGraphProblems(database)[0];
  if (problem) databaseFile.fail(["tables"], problem, "fix the join graph so every table reaches a root through declared parents");
  for (const table of Object.keys(database.time_columns)) {
    if (!database.tables[table]) databaseFile.fail(["time_columns", table], `table ${table} is not declared`, "declare it under tables");
  }
  for (const [name, range] of Object.entries(database.time_ranges)) {
    if (range.calendar_equivalent !== undefined && !database.time_ranges[range.calendar_equivalent]) {
      databaseFile.fail(["time_ranges", name, "calendar_equivalent"], `no time range named ${range.calendar_equivalent}`, "name a defined time range");
    }
  }
  if (database.dialect !== "postgres" && database.dialect !== "duckdb") {
    databaseFile.fail(["dialect"], `a domain is written in postgres or duckdb, not ${database.dialect}`, "write it in one of those; list ClickHouse or SQLite files under backend_sql");
  }
  const sql = { schema: readText(join(dir, database.schema_file)), seed: readText(join(dir, database.seed_file)) };
  const backendSql: Domain["backendSql"] = {};
  for (const dialect of RETARGET_DIALECTS) {
    const files = database.backend_sql[dialect];
    if (files) backendSql[dialect] = { schema: readText(join(dir, files.schema_file)), seed: readText(join(dir, files.seed_file)) };
  }
  const domain = { name, dir, policy, surfaces, database, sql, backendSql, features: domainFeatures(policy, database) };
  for (const dialect of RETARGET_DIALECTS) {
    const unused = unusedSpellings(domain, dialect)[0];
    if (unused !== undefined) {
      databaseFile.fail(["backend_sql", dialect, "expressions", unused], `no metric expression, dimension column or cohort measure is written ${unused}`, "key each spelling by the expression exactly as policy.yaml writes it");
    }
  }
  return domain;
}
