/**
 * What every `steward <group> <command>` shares: help, dispatch to the command, and one meaning
 * for the exit codes, so an admin's script can tell "I typed it wrong" (2) from "the file I gave
 * it is wrong" (1) whichever group it calls.
 */

/** The command line itself is wrong: exit 2, and point at the group's --help. */
export class UsageError extends Error {}
/** The input was read but is wrong (an invalid key or list, a file it will not overwrite): exit 1. */
export class InputError extends Error {}

export type Command = (args: string[]) => number | Promise<number>;

/**
 * Runs `args[0]` from `commands` with the rest of the arguments. No command prints the help to
 * stderr (exit 2); `help`, `--help` and `-h` print it to stdout. UsageError and InputError become
 * `steward <group>: …` on stderr with their exit code; anything else is a bug and is thrown.
 */
export async function runCommand(
  group: string,
  help: string,
  commands: Record<string, Command>,
  args: string[],
): Promise<number> {
  const [name, ...rest] = args;
  try {
    switch (name) {
      case undefined:
        process.stderr.write(help);
        return 2;
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(help);
        return 0;
    }
    const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!command) throw new UsageError(`unknown command "${name}".`);
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`steward ${group}: ${error.message}\nSee: steward ${group} --help\n`);
      return 2;
    }
    if (error instanceof InputError) {
      process.stderr.write(`steward ${group}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The `--help`/`-h` option every command accepts. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/** Prints `help` if the command line asked for it (the command then exits 0). */
export function helpRequested(values: Record<string, unknown>, help: string): boolean {
  if (!values.help) return false;
  process.stdout.write(help);
  return true;
}

/**
 * Runs a node:util parseArgs call, turning its errors into a usage message for `command`
 * (without node's advice about `--` and positionals, which does not apply to these commands).
 */
export function parseCommandLine<R>(command: string, parse: () => R): R {
  try {
    return parse();
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${command}: ${text.replace(/\. To specify.*$/s, '.')}`);
  }
}
