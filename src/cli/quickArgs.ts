/**
 * The common command lines without node:util's parseArgs: its first call costs about a millisecond of start-up
 * (its module and validators run cold), more than parsing takes here. Only command lines whose meaning is plain
 * are read: every argument is a positional that does not start with "-", a known `--name`, or a known `-x`, and
 * every option that takes a value is followed by one that does not start with "-". Anything else (unknown options,
 * `--name=value`, grouped short options, "--", "-", a missing value or one that starts with "-") returns
 * undefined, and parseArgs reads it, with its own results and error messages. test/unit/cli/quickArgs.test.ts
 * checks both agree.
 */
import type { ParseArgsConfig } from 'node:util';

type OptionConfigs = NonNullable<ParseArgsConfig['options']>;
type Value = string | boolean | (string | boolean)[];

export interface QuickParse {
  values: Record<string, Value | undefined>;
  positionals: string[];
}

function nameOf(arg: string, options: OptionConfigs): string | undefined {
  if (arg.startsWith('--')) {
    const name = arg.slice(2);
    return name !== '' && !name.includes('=') && Object.hasOwn(options, name) ? name : undefined;
  }
  if (arg.length !== 2) return undefined;
  for (const name of Object.keys(options)) if (options[name].short === arg[1]) return name;
  return undefined;
}

/** parseArgs's result for `{ args, options, allowPositionals: true, strict: true }`, or undefined (see above). */
export function quickParse(args: readonly string[], options: OptionConfigs): QuickParse | undefined {
  // parseArgs gives an object without a prototype, so no option name can reach Object.prototype.
  const values: Record<string, Value | undefined> = Object.create(null) as Record<string, Value | undefined>;
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const name = nameOf(arg, options);
    if (name === undefined) return undefined;
    const config = options[name];
    let value: string | boolean = true;
    if (config.type === 'string') {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('-')) return undefined;
      value = next;
      i++;
    }
    if (config.multiple) {
      const list = values[name];
      values[name] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      values[name] = value;
    }
  }
  return { values, positionals };
}
