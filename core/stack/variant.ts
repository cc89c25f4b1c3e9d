/**
 * How each layer of the stack is configured. The reference stack is `REFERENCE_STACK`;
 * a mutant is a stack whose knobs differ. Layers read only their own knobs.
 */
export type TenantKey = "tenant" | "dropped" | "legacy" | "row_id";

export interface ManifestKnobs {
  /** Keep aliases of metrics the role may no longer use (a manifest built from a stale capability list). */
  exposeForbiddenAliases: boolean;
}
export interface GrammarKnobs {
  /** Intent space admits sensitive dimensions that the manifest never exposed. */
  admitSensitiveDimensions: boolean;
}
export interface ValidatorKnobs {
  /** Sensitive dimensions are authorized without the role check. */
  skipSensitiveDimensionCheck: boolean;
}
export interface CompilerKnobs {
  tenantPredicate: TenantKey;
  siblingMetricExpression: boolean;
  joinEveryTable: boolean;
  stripDistinct: boolean;
  innerJoins: boolean;
  fiscalAsCalendar: boolean;
  budgetIgnoresExpansion: boolean;
  readMaterializedViews: boolean;
  localTimeAsUtc: boolean;
  uniqAsCount: boolean;
}
export interface DatabaseKnobs {
  /** Which column row policies compare with the session's tenant ids. */
  policyKey: "tenant" | "legacy";
  /** Column privileges mirror the application's deny rules. */
  columnPrivileges: boolean;
  /** Root tables carry no row policy at all. */
  rootPoliciesMissing: boolean;
  /** Row policies are bound to the read-only role, but the agent connects as another role. */
  policiesOnlyForReadOnlyRole: boolean;
  /** The distributed table's policy covers only the first shard. */
  shardGap: boolean;
}
export interface ReleaseKnobs {
  enforceCohortThreshold: boolean;
  discloseSampling: boolean;
}

export interface StackVariant {
  manifest: ManifestKnobs;
  grammar: GrammarKnobs;
  validator: ValidatorKnobs;
  compiler: CompilerKnobs;
  database: DatabaseKnobs;
  release: ReleaseKnobs;
}

export const REFERENCE_STACK: StackVariant = Object.freeze({
  manifest: { exposeForbiddenAliases: false },
  grammar: { admitSensitiveDimensions: false },
  validator: { skipSensitiveDimensionCheck: false },
  compiler: {
    tenantPredicate: "tenant",
    siblingMetricExpression: false,
    joinEveryTable: false,
    stripDistinct: false,
    innerJoins: false,
    fiscalAsCalendar: false,
    budgetIgnoresExpansion: false,
    readMaterializedViews: false,
    localTimeAsUtc: false,
    uniqAsCount: false,
  },
  database: {
    policyKey: "tenant",
    columnPrivileges: true,
    rootPoliciesMissing: false,
    policiesOnlyForReadOnlyRole: false,
    shardGap: false,
  },
  release: { enforceCohortThreshold: true, discloseSampling: true },
}) as StackVariant;

export function cloneStack(stack: StackVariant): StackVariant {
  return {
    manifest: { ...stack.manifest },
    grammar: { ...stack.grammar },
    validator: { ...stack.validator },
    compiler: { ...stack.compiler },
    database: { ...stack.database },
    release: { ...stack.release },
  };
}
