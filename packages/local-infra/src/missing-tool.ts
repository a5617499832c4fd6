// A program the run needs is not installed: its message is one actionable line (how to install
// it, or what to do instead), shown as is and turned into exit code 2.
export class MissingToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MissingToolError";
  }
}

/** `spawn` failed with ENOENT: the program is not on PATH. */
export function isNotOnPath(error: unknown): boolean {
  return (error as { code?: string }).code === "ENOENT";
}
