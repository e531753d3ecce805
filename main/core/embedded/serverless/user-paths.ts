import path from 'node:path';

/**
 * Rewrites paths inside a revision folder (`…/functions/default/demo/rev-4/handler.js:4:48`, also as file://
 * URLs) to the same file in the user's function folder, so log lines and stack traces name the file the user
 * edits. Without a source folder (a Function applied as YAML) the line is returned unchanged.
 */
export function toUserPaths(line: string, revDir: string, sourceDir: string | undefined): string {
  if (!sourceDir) return line;
  const from = revDir.endsWith(path.sep) ? revDir : revDir + path.sep;
  if (!line.includes(from)) return line;
  const to = sourceDir.endsWith(path.sep) ? sourceDir : sourceDir + path.sep;
  return line.split(from).join(to);
}
