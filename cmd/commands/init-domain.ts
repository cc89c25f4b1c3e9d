import { cpSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { domainDirectory } from "../../suites/load-domain.ts";
import { UsageError } from "../errors.ts";

/** Copies a built-in domain as the starting point for one's own (`--domain-path`). */
export function initDomain(name: string, out: string): string {
  const source = domainDirectory(name);
  const target = resolve(out, name);
  if (existsSync(target)) throw new UsageError(`domain already exists: ${target}`, "choose another --out, or remove the folder first");
  cpSync(source, target, { recursive: true });
  return target;
}

export function initDomainHint(target: string, name: string): string {
  return `strata run --domain ${name} --domain-path ${target} --suite seeded --out ${join("runs", name)}`;
}
