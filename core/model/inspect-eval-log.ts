import { z } from "zod";

/**
 * The part of Inspect AI's eval log format (JSON form, log format version 2) that `strata export
 * --format inspect` writes, described after inspect_ai's own pydantic models (`EvalLog` and what it
 * holds: inspect_ai/log/_log.py, model/_chat_message.py, model/_model_output.py, scorer/_metric.py).
 *
 * A field is required here exactly when Inspect's model has no default for it; a defaulted field
 * may be left out, since Inspect fills it in. Objects are strict, which is stricter than Inspect (it
 * ignores unknown fields): a log that parses here uses no field Inspect does not know. Unions
 * strata never writes (tool calls, images, events, sandboxes) are left out, so a parse failure
 * means either a broken export or a new kind of content to describe here first.
 */

/**
 * Inspect's `UtcDatetimeStr` is an ISO 8601 date-time, taken as UTC when it names no offset. Ours
 * must name one, so that no reader has to assume it (stricter than Inspect).
 */
const UtcDatetime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, "must be an ISO 8601 date-time that names its UTC offset");

const Dict = z.record(z.string(), z.unknown());
const ModelUsage = z.strictObject({
  input_tokens: z.number().int().optional(),
  output_tokens: z.number().int().optional(),
  total_tokens: z.number().int().optional(),
  input_tokens_cache_write: z.number().int().nullable().optional(),
  input_tokens_cache_read: z.number().int().nullable().optional(),
  reasoning_tokens: z.number().int().nullable().optional(),
});

/** Every `GenerateConfig` field defaults to null; strata sets none. */
const GenerateConfig = z.strictObject({});

const messageBase = {
  id: z.string().nullable().optional(),
  content: z.string(),
  source: z.enum(["input", "generate"]).nullable().optional(),
  metadata: Dict.nullable().optional(),
};
const ChatMessageUser = z.strictObject({ ...messageBase, role: z.literal("user"), tool_call_id: z.array(z.string()).nullable().optional() });
const ChatMessageAssistant = z.strictObject({ ...messageBase, role: z.literal("assistant"), model: z.string().nullable().optional() });
const ChatMessage = z.discriminatedUnion("role", [ChatMessageUser, ChatMessageAssistant]);

const ModelOutput = z.strictObject({
  model: z.string().optional(),
  choices: z
    .array(
      z.strictObject({
        message: ChatMessageAssistant,
        stop_reason: z.enum(["stop", "max_tokens", "model_length", "tool_calls", "content_filter", "unknown"]).optional(),
      }),
    )
    .optional(),
  completion: z.string().optional(),
  usage: ModelUsage.nullable().optional(),
  time: z.number().nullable().optional(),
  metadata: Dict.nullable().optional(),
  error: z.string().nullable().optional(),
});

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Score = z.strictObject({
  value: z.union([Scalar, z.array(Scalar), z.record(z.string(), Scalar.nullable())]),
  answer: z.string().nullable().optional(),
  explanation: z.string().nullable().optional(),
  metadata: Dict.nullable().optional(),
  history: z.array(z.unknown()).optional(),
});

const EvalSample = z.strictObject({
  id: z.union([z.number().int(), z.string()]),
  epoch: z.number().int(),
  input: z.union([z.string(), z.array(ChatMessage)]),
  choices: z.array(z.string()).nullable().optional(),
  target: z.union([z.string(), z.array(z.string())]),
  messages: z.array(ChatMessage).optional(),
  output: ModelOutput.optional(),
  scores: z.record(z.string(), Score).nullable().optional(),
  metadata: Dict.optional(),
  store: Dict.optional(),
  events: z.array(z.never()).optional(),
  model_usage: z.record(z.string(), ModelUsage).optional(),
  total_time: z.number().nullable().optional(),
  working_time: z.number().nullable().optional(),
  uuid: z.string().nullable().optional(),
  attachments: z.record(z.string(), z.string()).optional(),
});

const EvalSpec = z.strictObject({
  eval_set_id: z.string().nullable().optional(),
  eval_id: z.string().optional(),
  run_id: z.string().optional(),
  created: UtcDatetime,
  task: z.string(),
  task_id: z.string().optional(),
  task_version: z.union([z.number().int(), z.string()]).optional(),
  task_file: z.string().nullable().optional(),
  task_display_name: z.string().nullable().optional(),
  task_registry_name: z.string().nullable().optional(),
  task_attribs: Dict.optional(),
  task_args: Dict.optional(),
  task_args_passed: Dict.optional(),
  solver: z.string().nullable().optional(),
  solver_args: Dict.nullable().optional(),
  tags: z.array(z.string()).nullable().optional(),
  dataset: z.strictObject({
    name: z.string().nullable().optional(),
    location: z.string().nullable().optional(),
    samples: z.number().int().nullable().optional(),
    sample_ids: z.array(z.union([z.string(), z.number().int()])).nullable().optional(),
    shuffled: z.boolean().nullable().optional(),
  }),
  model: z.string(),
  model_generate_config: GenerateConfig.optional(),
  model_base_url: z.string().nullable().optional(),
  model_args: Dict.optional(),
  /** `EvalConfig`: every field defaults to null; strata sets none, but the object itself is required. */
  config: z.strictObject({}),
  revision: z.strictObject({ type: z.literal("git"), origin: z.string(), commit: z.string(), dirty: z.boolean().nullable().optional() }).nullable().optional(),
  packages: z.record(z.string(), z.string()).optional(),
  metadata: Dict.nullable().optional(),
});

const EvalPlanStep = z.strictObject({ solver: z.string(), params: Dict.optional(), params_passed: Dict.optional() });

const EvalResults = z.strictObject({
  total_samples: z.number().int().optional(),
  completed_samples: z.number().int().optional(),
  scores: z
    .array(
      z.strictObject({
        name: z.string(),
        scorer: z.string(),
        reducer: z.string().nullable().optional(),
        scored_samples: z.number().int().nullable().optional(),
        unscored_samples: z.number().int().nullable().optional(),
        params: Dict.optional(),
        metrics: z.record(z.string(), z.strictObject({ name: z.string(), value: z.number(), params: Dict.optional(), metadata: Dict.nullable().optional() })).optional(),
        metadata: Dict.nullable().optional(),
      }),
    )
    .optional(),
  metadata: Dict.nullable().optional(),
});

export const InspectEvalLog = z.strictObject({
  version: z.literal(2),
  status: z.enum(["started", "success", "cancelled", "error"]),
  eval: EvalSpec,
  plan: z.strictObject({ name: z.string().optional(), steps: z.array(EvalPlanStep).optional(), finish: EvalPlanStep.nullable().optional(), config: GenerateConfig.optional() }).optional(),
  results: EvalResults.nullable().optional(),
  stats: z.strictObject({ started_at: z.union([UtcDatetime, z.literal("")]).optional(), completed_at: z.union([UtcDatetime, z.literal("")]).optional(), model_usage: z.record(z.string(), ModelUsage).optional() }).optional(),
  samples: z.array(EvalSample).nullable().optional(),
});
export type InspectEvalLog = z.infer<typeof InspectEvalLog>;
