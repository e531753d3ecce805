import { readFileSync } from 'node:fs';
import { CliError } from './cli-error.js';

/** `--data '{"a":1}'`, `--data @file.json`, or plain text when it is not JSON. */
export function parseDataArg(value: string | undefined, flag = '--data'): unknown {
  if (value === undefined) return undefined;
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (err) {
      throw new CliError(`${flag} ${value}: cannot read ${value.slice(1)}: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    if (value.startsWith('@') || /^\s*[{[]/.test(text)) throw new CliError(`${flag}: not valid JSON — quote it like '{"name":"x"}'`);
    return text;
  }
}
