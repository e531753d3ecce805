import type { OsbErrorBody } from './osb-types.js';

/** A broker-side refusal the OSB server turns into `status` + `{error, description}`. */
export class OsbError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly code?: string,
  ) {
    super(description);
    this.name = 'OsbError';
  }

  body(): OsbErrorBody {
    return { ...(this.code ? { error: this.code } : {}), description: this.description };
  }
}
