import type * as Yaml from "yaml";
import type { z } from "zod";
import { InputError } from "./input-error.ts";

type Path = (string | number)[];

/**
 * The yaml package, loaded on first use: built-in files are read by Bun's native parser, and only
 * a user's file or the position of an error needs this one. Loaded with the module graph, it cost
 * each thread about 12 ms of its start.
 */
function yaml(): typeof Yaml {
  return require("yaml") as typeof Yaml;
}

/** A parsed YAML file that can point back at the line and column of any value in it. */
export class LocatedYaml {
  private parsed: { doc: Yaml.Document; lines: Yaml.LineCounter } | null = null;

  private constructor(
    readonly file: string,
    private readonly text: string,
    /** The value from a faster parser (see withValue); undefined when the document is the source. */
    private readonly plain: unknown,
  ) {}

  static parse(file: string, text: string): LocatedYaml {
    const located = new LocatedYaml(file, text, undefined);
    located.document();
    return located;
  }

  /**
   * A file whose value another parser has already read, when that parser is known to give the
   * located parser's value for it (the built-in domains, pinned by a test). The document, which
   * only positions need, is parsed when an error has to be located.
   */
  static withValue(file: string, text: string, value: unknown): LocatedYaml {
    return new LocatedYaml(file, text, value ?? {});
  }

  private document(): { doc: Yaml.Document; lines: Yaml.LineCounter } {
    if (this.parsed) return this.parsed;
    const { LineCounter, parseDocument } = yaml();
    const lines = new LineCounter();
    const doc = parseDocument(this.text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, version: "1.2" });
    const error = doc.errors[0];
    if (error) {
      const pos = lines.linePos(error.pos[0]);
      throw new InputError(this.file, pos.line, pos.col, `invalid YAML: ${error.message.split("\n")[0]}`, "fix the YAML syntax at this position");
    }
    this.parsed = { doc, lines };
    return this.parsed;
  }

  value(): unknown {
    return this.plain !== undefined ? this.plain : (this.document().doc.toJS() ?? {});
  }

  /** The plain value at `path` (undefined when it is missing). */
  private valueAt(path: Path): unknown {
    if (this.plain === undefined) {
      const raw = this.document().doc.getIn(path) as unknown;
      return raw && typeof raw === "object" && "toJSON" in raw ? (raw as { toJSON(): unknown }).toJSON() : raw;
    }
    let value: unknown = this.plain;
    for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined;
    return value;
  }

  /** Line and column of the value at `path`, or of its nearest ancestor that exists. */
  locate(path: Path, key?: string): { line: number; column: number } {
    for (let depth = path.length; depth >= 0; depth--) {
      const { doc } = this.document();
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (key !== undefined && depth === path.length && yaml().isMap(node)) {
        const pair = node.items.find((item) => yaml().isScalar(item.key) && item.key.value === key);
        const range = pair && yaml().isScalar(pair.key) ? pair.key.range : undefined;
        if (range) return this.position(range[0]);
      }
      const range = (node as { range?: [number, number, number] } | null)?.range;
      if (range) return this.position(range[0]);
    }
    return { line: 1, column: 1 };
  }

  private position(offset: number) {
    const pos = this.document().lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  fail(path: Path, problem: string, fix: string, key?: string): never {
    const { line, column } = this.locate(path, key);
    throw new InputError(this.file, line, column, problem, fix);
  }

  /** Validates against a zod schema, turning the first issue into a located InputError. */
  validate<S extends z.ZodType>(schema: S, at: Path = []): z.infer<S> {
    const result = schema.safeParse((at.length === 0 ? this.value() : this.valueAt(at)) ?? {});
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    const path = [...at, ...(issue.path as Path)];
    const where = path.length > 0 ? `${path.join(".")}: ` : "";
    if (issue.code === "unrecognized_keys") {
      const key = issue.keys[0]!;
      this.fail(path, `${where}unknown key "${key}"`, "remove it or correct its spelling (see the JSON Schema in docs/schemas)", key);
    }
    this.fail(path, `${where}${issue.message}`, fixFor(issue));
  }
}

function fixFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `give a value of type ${issue.expected}`;
    case "invalid_value":
      return `use one of: ${issue.values.map(String).join(", ")}`;
    case "too_small":
    case "too_big":
      return "bring the value into the allowed range";
    case "invalid_format":
      return "correct the value's format";
    default:
      return "correct this value";
  }
}
