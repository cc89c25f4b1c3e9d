import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { domainDirectory, embeddedDomainFiles } from "../../suites/load-domain.ts";
import { UsageError } from "../errors.ts";

/** Copies a built-in domain as the starting point for one's own (`--domain-path`). */
export function initDomain(name: string, out: string): string {
  const source = domainDirectory(name);
  const target = resolve(out, name);
  if (existsSync(target)) throw new UsageError(`domain already exists: ${target}`, "choose another --out, or remove the folder first");
  if (existsSync(source)) {
    cpSync(source, target, { recursive: true });
  } else {
    // A compiled binary has no domains/ on disk: write the embedded copy.
    const files = embeddedDomainFiles(name);
    if (files.length === 0) throw new Error(`built-in domain ${name} is neither on disk nor embedded in this binary`);
    for (const [path, text] of files) {
      mkdirSync(dirname(join(target, path)), { recursive: true });
      writeFileSync(join(target, path), text);
    }
  }
  return target;
}

export function initDomainHint(target: string, name: string): string {
  return `strata run --domain ${name} --domain-path ${target} --suite seeded --out ${join("runs", name)}`;
}
