/**
 * `steward` admin CLI dispatcher. One file per command group (`cli/rules.ts`, `cli/dlp.ts`,
 * `cli/package.ts`); each exports `run(args): Promise<number>` returning the exit code and writes
 * plain-English errors to stderr.
 */

type CommandGroup = { run(args: string[]): Promise<number>; summary: string };

const groups: Record<string, () => Promise<CommandGroup>> = {
  rules: () => import('./rules.ts'),
  dlp: () => import('./dlp.ts'),
  package: () => import('./package.ts'),
  report: () => import('./report.ts'),
};

function usage(): string {
  return [
    'Usage: steward <command> [options]',
    '',
    'Commands:',
    '  rules    build, sign and verify rule lists (steward rules --help)',
    '  dlp      test confidential-data patterns on email files (steward dlp --help)',
    '  package  build the CRX, update manifest, Firefox package and policy templates',
    "  report   the governors' termly report as HTML or PDF (steward report --help)",
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [group, ...rest] = argv;
  if (!group || group === '--help' || group === '-h') {
    process.stdout.write(usage());
    return group ? 0 : 2;
  }
  const load = groups[group];
  if (!load) {
    process.stderr.write(`steward: unknown command "${group}".\n\n${usage()}`);
    return 2;
  }
  let module: CommandGroup;
  try {
    module = await load();
  } catch (error) {
    process.stderr.write(
      `steward: the "${group}" command is not available in this build (${String(error)}).\n`,
    );
    return 2;
  }
  return module.run(rest);
}
