/** One line of `kyma-local doctor` (and of `up --profile kind`'s preflight): what was checked and, when not ok, the fix. */
export interface DoctorCheck {
  /** Short name of what was checked, e.g. "nats-server", "Docker engine", "port 4222". */
  name: string;
  status: 'ok' | 'warn' | 'fail';
  /** What was found, e.g. "v2.9.25 at /usr/bin/nats-server". */
  detail: string;
  /** What to do about it, when status is not ok. */
  fix?: string;
}
