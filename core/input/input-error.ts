/** Bad input: names the file, line and column, says what is wrong and how to fix it. The CLI exits 2. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${file}:${line}:${column}: ${problem}${fix ? `\n  fix: ${fix}` : ""}`);
    this.name = "InputError";
  }
}
