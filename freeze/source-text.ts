import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A Bun macro (imported `with { type: "macro" }`): returns the text of a repo-relative source file
 * and is inlined as a string literal when the importing module is transpiled or bundled. So a run
 * from a checkout reads the current text, and a compiled binary carries the text it was built from.
 *
 * Why not `import src from "../core/detect/detect.ts" with { type: "text" }`: Bun's bundler keys
 * modules by path, so a file imported both as code and as text fails `bun build --compile` with
 * "No matching export ... for import default" (Bun 1.4.4), and every file hashed here is also code.
 */
export function sourceText(path: string): string {
  return readFileSync(join(import.meta.dir, "..", path), "utf8");
}
