import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { isIsoDate } from '../lib/dates.js';

/** The command line is wrong: the command says why, prints its usage and exits with 2. */
export class UsageError extends Error {}

/** The environment lacks what the command needs: it says why and exits with 1. */
export class SetupError extends Error {}

export interface Command {
  /** What its messages start with: `seed: …`. */
  name: string;
  usage: string;
}

/** process.argv parsed strictly: an unknown or malformed option is a UsageError. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ args: process.argv.slice(2), strict: true, ...config });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function asOfOption(value: string | undefined): string | undefined {
  if (value !== undefined && !isIsoDate(value))
    throw new UsageError(`--as-of must be a date written YYYY-MM-DD (got ${JSON.stringify(value)})`);
  return value;
}

export function environment(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new SetupError(error.message);
    throw error;
  }
}

export function databaseUrl(config: Config, purpose: string): string {
  if (config.databaseUrl === undefined) throw new SetupError(`DATABASE_URL is not set: ${purpose}`);
  return config.databaseUrl;
}

/**
 * Runs a command and sets the exit code: what `main` returns (0 when nothing), 2 with the usage for a
 * UsageError, 1 for a SetupError; any other error is the command's own to report.
 */
export async function runCommand(command: Command, main: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${command.name}: ${error.message}\n${command.usage}\n`);
      process.exitCode = 2;
    } else if (error instanceof SetupError) {
      process.stderr.write(`${command.name}: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      throw error;
    }
  }
}
