// Types of the files strata embeds in its compiled binary (see scripts/build-binary.ts).
// `with { type: "text" }` gives the file's text; `with { type: "file" }` gives a path to it
// (inside a compiled binary, a path under /$bunfs/ that node:fs and Bun.file can read).
declare module "*.sql" {
  const text: string;
  export default text;
}
declare module "*.wasm" {
  const path: string;
  export default path;
}
declare module "*.data" {
  const path: string;
  export default path;
}
