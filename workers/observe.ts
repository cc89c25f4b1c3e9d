import type { Domain } from "../core/domain/domain.ts";
import type { CanonicalDecision, CompilerOutcome, EndToEnd, Observation, QueryResult } from "../core/model/observation.ts";
import type { SemanticPlan } from "../core/model/plan.ts";
import type { Principal } from "../core/model/policy.ts";
import { compilePlan } from "../core/stack/compiler.ts";
import { intentSpace, parseIntent } from "../core/stack/grammar.ts";
import { buildManifest } from "../core/stack/manifest.ts";
import { releaseResult } from "../core/stack/release.ts";
import { validatePlan } from "../core/stack/validator.ts";
import type { StackVariant } from "../core/stack/variant.ts";
import type { Engine, Session } from "./engines/engine.ts";

/** What a stack makes of a plan before anything runs: a function of the plan, never of the state. */
export interface LoweredStack {
  manifest: Observation["manifest"];
  grammar: Observation["grammar"];
  validator: Observation["validator"];
  compiler: Observation["compiler"];
  /** The end-to-end path up to the database: where it stopped, or the SQL it sends. */
  path: { kind: "stopped"; stopped_at: "grammar" | "validator" | "compiler"; reasons: string[] } | { kind: "sql"; sql: string; lineage: Lineage };
}

type Lineage = Extract<CompilerOutcome, { kind: "sql" }>["lineage"];

export function lowerStack(domain: Domain, stack: StackVariant, principal: Principal, plan: SemanticPlan, canonical: CanonicalDecision): LoweredStack {
  const { policy, database: db } = domain;
  const manifest = buildManifest(policy, principal, stack.manifest);
  const space = intentSpace(policy, manifest, stack.grammar);
  const grammar = parseIntent(space, plan);
  const validator = validatePlan(policy, principal, plan, stack.validator);
  const compiler = canonical.obligations ? compilePlan({ policy, db, plan, obligations: canonical.obligations }, stack.compiler) : null;
  const path = ((): LoweredStack["path"] => {
    if (grammar.kind === "rejected") return { kind: "stopped", stopped_at: "grammar", reasons: grammar.reasons };
    if (!validator.allowed || !validator.obligations) return { kind: "stopped", stopped_at: "validator", reasons: validator.reasons };
    const lowered = compilePlan({ policy, db, plan: grammar.plan, obligations: validator.obligations }, stack.compiler);
    if (lowered.kind === "refused") return { kind: "stopped", stopped_at: "compiler", reasons: lowered.reasons };
    return { kind: "sql", sql: lowered.sql, lineage: lowered.lineage };
  })();
  return { manifest, grammar: { intent_space: space, outcome: grammar }, validator, compiler, path };
}

/**
 * Runs one plan through one stack for real: every layer on its declared input (so each can be
 * checked against its own responsibilities), and the end-to-end path a user would get. `lowered`
 * is what lowerStack gave for the same stack, principal and plan.
 */
export async function observeStack(
  domain: Domain,
  engine: Engine,
  stack: StackVariant,
  principal: Principal,
  plan: SemanticPlan,
  lowered: LoweredStack,
): Promise<Observation> {
  const { database: db } = domain;
  const session: Session = { role: principal.role, tenantIds: principal.tenant_ids };
  const queries = new Map<string, Promise<QueryResult>>();
  const run = (sql: string, restricted: boolean) => {
    const key = `${restricted}:${sql}`;
    let result = queries.get(key);
    if (!result) {
      result = engine.query(stack.database, restricted ? session : null, sql);
      queries.set(key, result);
    }
    return result;
  };

  const { manifest, grammar, validator, compiler, path } = lowered;
  const sql = compiler?.kind === "sql" ? compiler.sql : null;
  // Unrestricted first, then everything under the session: fewer session switches (see canonicalStage).
  const before_containment = sql ? await run(sql, false) : null;
  const probe = await engine.probe(stack.database, session);
  const under_session = sql ? await run(sql, true) : null;
  const release =
    compiler?.kind === "sql" && under_session
      ? releaseResult(db, { authorized: validator.allowed, result: under_session, lineage: compiler.lineage }, stack.release)
      : null;

  const stop = (stopped_at: EndToEnd["stopped_at"], reasons: string[]): EndToEnd => ({ stopped_at, released: false, rows: [], reasons });
  const endToEnd = async (): Promise<EndToEnd> => {
    if (path.kind === "stopped") return stop(path.stopped_at, path.reasons);
    const result = await run(path.sql, true);
    if (result.kind === "error") return stop("database", [result.error]);
    const released = releaseResult(db, { authorized: true, result, lineage: path.lineage }, stack.release);
    if (!released.released) return stop("release", released.reasons);
    return { stopped_at: null, released: true, rows: released.rows, reasons: [...released.reasons, ...released.disclosures] };
  };

  return {
    principal,
    proposed_plan: plan,
    manifest,
    grammar,
    validator,
    compiler,
    database: { probe, before_containment, under_session },
    release,
    end_to_end: await endToEnd(),
  };
}
