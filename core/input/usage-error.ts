/** A bad flag or argument (there is no file to point at): the CLI prints it with a fix and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint = "",
  ) {
    super(message);
    this.name = "UsageError";
  }
}
