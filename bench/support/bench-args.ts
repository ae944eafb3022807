import { type ParseArgsConfig, parseArgs } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

type BenchValues<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O }>>["values"] & {
  help?: boolean;
};

/** A command line a benchmark cannot run with: what is wrong, then its usage. */
export class BenchUsageError extends Error {}

/**
 * A benchmark's flags, as `parseArgs` reads them, plus `--help`. An unknown flag, a missing value or a stray argument
 * is a BenchUsageError naming it, instead of parseArgs' stack trace.
 */
export function readBenchArgs<const O extends Options>(options: O, args: string[]): BenchValues<O> {
  try {
    return parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } } }).values as BenchValues<O>;
  } catch (error) {
    if (isParseArgsError(error)) throw new BenchUsageError(error.message, { cause: error });
    throw error;
  }
}

/** A flag's value as a whole number of at least `least`. */
export function wholeNumber(value: string | undefined, flag: string, least = 1): number {
  const number = Number(value);
  if (value === undefined || !Number.isInteger(number) || number < least)
    throw new BenchUsageError(
      `${flag} must be a whole number of at least ${least}, got ${JSON.stringify(value ?? "")}`,
    );
  return number;
}

/**
 * A benchmark's flags, read at its top level: a usage error is answered as a command line answers it (the error and
 * the usage on stderr, exit 2), and --help prints the usage (exit 0).
 */
export function benchArgs<const O extends Options>(usage: string, options: O, args = process.argv.slice(2)) {
  const values = withUsage(usage, () => readBenchArgs(options, args));
  if (values.help) {
    process.stdout.write(`${usage.trim()}\n`);
    process.exit(0);
  }
  return values;
}

/** `read()`, its BenchUsageError answered with the usage on stderr and exit 2. */
export function withUsage<T>(usage: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${usage.trim()}\n`);
    process.exit(2);
  }
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS_");
}
