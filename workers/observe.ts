import type { Domain } from "../core/domain/domain.ts";
import type { CanonicalDecision, EndToEnd, Observation, QueryResult } from "../core/model/observation.ts";
import type { SemanticPlan } from "../core/model/plan.ts";
import type { Principal } from "../core/model/policy.ts";
import { compilePlan } from "../core/stack/compiler.ts";
import { intentSpace, parseIntent } from "../core/stack/grammar.ts";
import { buildManifest } from "../core/stack/manifest.ts";
import { releaseResult } from "../core/stack/release.ts";
import { validatePlan } from "../core/stack/validator.ts";
import type { StackVariant } from "../core/stack/variant.ts";
import type { Engine, Session } from "./engines/engine.ts";

/**
 * Runs one plan through one stack for real: every layer on its declared input (so each can be
 * checked against its own responsibilities), and the end-to-end path a user would get.
 */
export async function observeStack(
  domain: Domain,
  engine: Engine,
  stack: StackVariant,
  principal: Principal,
  plan: SemanticPlan,
  canonical: CanonicalDecision,
): Promise<Observation> {
  const { policy, database: db } = domain;
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

  const manifest = buildManifest(policy, principal, stack.manifest);
  const space = intentSpace(policy, manifest, stack.grammar);
  const grammar = parseIntent(space, plan);
  const validator = validatePlan(policy, principal, plan, stack.validator);
  const compiler = canonical.obligations ? compilePlan({ policy, db, plan, obligations: canonical.obligations }, stack.compiler) : null;
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
    if (grammar.kind === "rejected") return stop("grammar", grammar.reasons);
    if (!validator.allowed || !validator.obligations) return stop("validator", validator.reasons);
    const lowered = compilePlan({ policy, db, plan: grammar.plan, obligations: validator.obligations }, stack.compiler);
    if (lowered.kind === "refused") return stop("compiler", lowered.reasons);
    const result = await run(lowered.sql, true);
    if (result.kind === "error") return stop("database", [result.error]);
    const released = releaseResult(db, { authorized: true, result, lineage: lowered.lineage }, stack.release);
    if (!released.released) return stop("release", released.reasons);
    return { stopped_at: null, released: true, rows: released.rows, reasons: [...released.reasons, ...released.disclosures] };
  };

  return {
    principal,
    proposed_plan: plan,
    manifest,
    grammar: { intent_space: space, outcome: grammar },
    validator,
    compiler,
    database: { probe, before_containment, under_session },
    release,
    end_to_end: await endToEnd(),
  };
}
