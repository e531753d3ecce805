/**
 * kind exits with 1 for every failure and prints `ERROR: <msg>` (plus `Command Output: …`), so the only way to
 * tell failures apart is the text. Each class carries the fix a user needs.
 */
export type KindErrorCode = 'AlreadyExists' | 'DockerNotRunning' | 'PermissionDenied' | 'NoNodes' | 'ImageNotFound' | 'Unknown';

export class KindError extends Error {
  constructor(
    readonly code: KindErrorCode,
    message: string,
    readonly fix: string,
    readonly output: string,
  ) {
    super(`${message} — ${fix}`);
  }
}

export function classifyKindError(stderr: string, clusterName: string): KindError {
  const text = stderr.trim();
  const firstError = /^ERROR: (.*)$/m.exec(text)?.[1] ?? text.split('\n').find((l) => l.trim() !== '') ?? 'kind failed without output';
  if (/already exist for a cluster with the name/.test(text)) {
    return new KindError('AlreadyExists', `a kind cluster named "${clusterName}" already exists`, `run \`kyma-local up\` to reuse it, or delete it first with \`kind delete cluster --name ${clusterName}\``, text);
  }
  if (/permission denied/i.test(text) && /docker/i.test(text)) {
    return new KindError('PermissionDenied', 'kind may not use the Docker socket (permission denied)', 'add your user to the "docker" group (`sudo usermod -aG docker $USER`, then log in again) or use rootless Docker', text);
  }
  if (/Cannot connect to the Docker daemon|Is the docker daemon running|error during connect/i.test(text)) {
    return new KindError('DockerNotRunning', 'Docker is not running', 'start Docker (Docker Desktop, or `sudo systemctl start docker`) and try again', text);
  }
  if (/no nodes found for cluster/.test(text)) {
    return new KindError('NoNodes', `the kind cluster "${clusterName}" has no nodes`, `create it with \`kyma-local up --profile kind\``, text);
  }
  if (/failed to pull image|manifest unknown|not found: manifest/i.test(text)) {
    return new KindError('ImageNotFound', `kind could not pull the node image (${firstError})`, 'check the network, or load the node image from an offline bundle with `kyma-local images load`', text);
  }
  return new KindError('Unknown', `kind failed: ${firstError}`, 'see the full output in the daemon log (`kyma-local status` shows its path)', text);
}

/** kind's create steps (its ` ✓ <step>` / ` • <step> ...` lines) mapped to our progress steps. */
const CREATE_STEPS: Array<[RegExp, string]> = [
  [/Ensuring node image/, 'node image'],
  [/Preparing nodes/, 'nodes'],
  [/Writing configuration/, 'configuration'],
  [/Starting control-plane/, 'control plane'],
  [/Installing CNI/, 'CNI'],
  [/Installing StorageClass/, 'storage class'],
  [/Waiting .*control-plane/, 'control plane ready'],
];

export interface KindProgress {
  step: string;
  done: boolean;
  line: string;
}

/** Maps one line of `kind create cluster` output to a step, or undefined for lines that are not steps. */
export function parseKindProgress(line: string): KindProgress | undefined {
  // kind colours its step lines when stderr is a terminal; strip the escape sequences.
  // eslint-disable-next-line no-control-regex
  const clean = line.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').trim();
  for (const [re, step] of CREATE_STEPS) {
    if (re.test(clean)) return { step, done: clean.startsWith('✓'), line: clean.replace(/^[✓•✗]\s*/, '') };
  }
  return undefined;
}
