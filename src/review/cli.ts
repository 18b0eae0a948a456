// `cdk8s-mesh review <before> <after>`: the CLI around reviewManifests (commander).
import { Command, InvalidArgumentError, Option } from 'commander';
import { K8sObject, readManifests, readManifestsAtRevision } from './objects';
import { renderJson, renderMarkdown, renderText } from './render';
import { hasRiskAtLeast, reviewManifests } from './review';
import { Severity, SEVERITIES } from './risks';

/** Exit codes of `cdk8s-mesh review`. */
export const EXIT = {
  /** Reviewed; no risk at or above `--fail-on` (or no `--fail-on`). */
  OK: 0,
  /** Reviewed; a risk at or above `--fail-on` was found. */
  RISK: 1,
  /** Bad usage or unreadable input (nothing reviewed). */
  ERROR: 2,
} as const;

/** Where the CLI writes; injectable for tests. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const HELP_AFTER = `
Sides are a manifest file or a directory (every *.yaml, *.yml, *.json under it).
With --git <ref>, <before> may be left out: the before side is <after>'s path at <ref>.

Exit codes:
  ${EXIT.OK}  reviewed, no risk at or above --fail-on
  ${EXIT.RISK}  reviewed, a risk at or above --fail-on was found
  ${EXIT.ERROR}  bad usage or unreadable input

Examples:
  cdk8s-mesh review --git origin/main dist/
  cdk8s-mesh review before/ after/ --format json --fail-on high
`;

function shift(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError(`"${value}" is not a number of percentage points between 0 and 100 (e.g. 50).`);
  return n;
}

/** Builds the commander program (exported for tests and embedding). */
export function program(io: CliIo, setExit: (code: number) => void): Command {
  const cli = new Command('cdk8s-mesh')
    .description('Tools for cdk8s-mesh manifests')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  cli.command('review')
    .description('Explain a mesh change (routing, mTLS, callers, alerts), flag its risks and draw it as Mermaid')
    .argument('[before]', 'manifests as applied now (file or directory)')
    .argument('[after]', 'manifests after the change (file or directory)')
    .option('--git <ref>', 'read the before side from this git revision (same path as <after>, or as <before> when only one path is given)')
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'text', 'json']).default('markdown'))
    .option('--max-shift <points>', 'largest traffic shift of one version in one step before it is a risk', shift, 50)
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a risk at least this severe is found').choices([...SEVERITIES]))
    .addHelpText('after', HELP_AFTER)
    .action((before: string | undefined, after: string | undefined, opts: { git?: string; format: string; maxShift: number; failOn?: Severity }) => {
      let a: K8sObject[];
      let b: K8sObject[];
      if (opts.git) {
        const target = after ?? before;
        if (!target) throw new InvalidArgumentError('--git needs the path to review. Fix: cdk8s-mesh review --git <ref> <path>.');
        a = readManifestsAtRevision(opts.git, before ?? target);
        b = readManifests(target);
      } else {
        if (!before || !after) throw new InvalidArgumentError('review needs <before> and <after> (or --git <ref> <path>). Fix: cdk8s-mesh review before/ after/.');
        a = readManifests(before);
        b = readManifests(after);
      }
      const review = reviewManifests(a, b, { maxShift: opts.maxShift });
      io.out(opts.format === 'json' ? renderJson(review) : opts.format === 'text' ? renderText(review) : renderMarkdown(review));
      setExit(opts.failOn && hasRiskAtLeast(review, opts.failOn) ? EXIT.RISK : EXIT.OK);
    });
  return cli;
}

/** Runs the CLI on `argv` (without `node` and the script) and returns the exit code. */
export function main(argv: readonly string[], io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): number {
  let code: number = EXIT.OK;
  try {
    program(io, (c) => { code = c; }).parse([...argv], { from: 'user' });
  } catch (e: any) {
    if (e?.code === 'commander.helpDisplayed' || e?.code === 'commander.help' || e?.code === 'commander.version') return EXIT.OK;
    if (typeof e?.code === 'string' && e.code.startsWith('commander.')) {
      if (e.code === 'commander.invalidArgument' && !String(e.message).startsWith('error:')) io.err(`error: ${e.message}\n`);
      return EXIT.ERROR;
    }
    io.err(`error: ${e?.message ?? e}\n`);
    return EXIT.ERROR;
  }
  return code;
}
