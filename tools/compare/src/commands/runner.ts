// The one way every command line of tools/compare runs. Commander parses (`--help`, one-line
// usage errors); the command does its own work; the runner owns the rest, once for all of them:
// Ctrl-C and SIGTERM stop every process the command started, a missing tool or a wrong flag is one
// line, and the exit code means the same everywhere (EXIT).
import { ManagedProcess, MissingToolError } from "@cart/local-infra";
import { CommanderError, type Command } from "commander";

export const EXIT = {
  /** Done; for compare: every outcome matched its expectation. */
  ok: 0,
  /** compare: an outcome did not match its expectation. */
  mismatch: 1,
  /** A wrong flag, a missing tool, or anything else that stopped the command from running. */
  setUp: 2,
  /** Ctrl-C or SIGTERM (128 + SIGINT). */
  interrupted: 130,
} as const;

/** A contradiction between flags, found after parsing: one line on stderr, exit 2. */
export class UsageError extends Error {}

export interface CommandContext {
  /** A progress line: on stdout, or on stderr when stdout carries the command's data (`--json`). */
  say(line: string): void;
  /** Whether progress goes to a terminal that may be coloured (NO_COLOR is honoured). */
  readonly colors: boolean;
  /** Runs on Ctrl-C before every process the command started is stopped (a server to close, say). */
  onInterrupt(cleanup: () => Promise<void> | void): void;
}

export interface CommandDefinition<Options> {
  readonly program: Command;
  /** An exit code, or "serving" for a command that goes on until Ctrl-C (the workshop). */
  run(options: Options, context: CommandContext): Promise<number | "serving">;
  /** Where progress goes: stdout unless the options make stdout carry data. */
  readonly progressTo?: (options: Options) => NodeJS.WriteStream;
}

export function runCommand<Options>(definition: CommandDefinition<Options>): void {
  void start(definition).then((code) => {
    if (code !== undefined) process.exit(code);
  });
}

/** The exit code, or undefined when the process must go on (serving, or winding down after Ctrl-C). */
async function start<Options>({ program, run, progressTo }: CommandDefinition<Options>): Promise<number | undefined> {
  try {
    program.exitOverride().parse();
  } catch (error) {
    // Commander has printed the help, or the usage error, already.
    return error instanceof CommanderError && error.exitCode === 0 ? EXIT.ok : EXIT.setUp;
  }
  const options = program.opts<Options & object>();
  const out = progressTo?.(options) ?? process.stdout;
  const say = (line: string) => void out.write(`${line}\n`);
  const cleanups: Array<() => Promise<void> | void> = [];
  let serving = false;
  let interrupted = false;

  const interrupt = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    say(`\n${signal}: stopping every process ${program.name()} started…`);
    // A server stopped by Ctrl-C has done what it was started for; anything else was cut short.
    const code = serving ? EXIT.ok : EXIT.interrupted;
    void Promise.allSettled(cleanups.map(async (cleanup) => cleanup()))
      .then(() => ManagedProcess.stopAll())
      .finally(() => process.exit(code));
  };
  process.once("SIGINT", () => interrupt("SIGINT"));
  process.once("SIGTERM", () => interrupt("SIGTERM"));
  // Last resort when something calls process.exit early: no orphan is left behind.
  process.on("exit", () => ManagedProcess.killAllNow());

  try {
    const colors = Boolean(out.isTTY) && !process.env.NO_COLOR;
    const code = await run(options, { say, colors, onInterrupt: (cleanup) => void cleanups.push(cleanup) });
    if (code === "serving") {
      serving = true;
      return undefined;
    }
    // After Ctrl-C the work winds down by itself (its processes are gone): the interrupt decides.
    return interrupted ? undefined : code;
  } catch (error) {
    if (interrupted) return undefined;
    if (error instanceof UsageError) console.error(`error: ${error.message}`);
    else if (error instanceof MissingToolError) say(error.message);
    else say(`${program.name()} could not run: ${(error as Error).message}`);
    await ManagedProcess.stopAll();
    return EXIT.setUp;
  }
}
