/**
 * Errors of the `mwaa` participant CLI. Each class carries the process exit code and a hint that
 * tells the user what to do next; messages never contain tokens or cookies.
 */

/** Process exit codes, documented in docs/mwaa-cli.md. Scripts can branch on them. */
export const ExitCode = {
  OK: 0,
  /** Airflow ran the request and reported an error (CLI error on stderr, REST API 4xx/5xx). */
  AIRFLOW: 1,
  /** Bad flags, unknown team or environment, invalid configuration, environment not found in AWS. */
  USAGE: 2,
  /** No AWS credentials, role assumption or token creation denied, token refused or expired (401/403). */
  AUTH: 3,
  /** Webserver or AWS API unreachable: DNS, refused connection, timeout. */
  NETWORK: 4,
  /** The webserver answered something that is not the MWAA protocol (non-JSON, missing fields). */
  BAD_REPLY: 5,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class MwaaCliError extends Error {
  abstract readonly exitCode: ExitCodeValue;

  constructor(
    message: string,
    /** One or two sentences on how to fix it; printed after the message. */
    public readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UsageError extends MwaaCliError {
  readonly exitCode = ExitCode.USAGE;
}

export class AuthError extends MwaaCliError {
  readonly exitCode = ExitCode.AUTH;
}

export class NetworkError extends MwaaCliError {
  readonly exitCode = ExitCode.NETWORK;
}

export class BadReplyError extends MwaaCliError {
  readonly exitCode = ExitCode.BAD_REPLY;
}

export class AirflowError extends MwaaCliError {
  readonly exitCode = ExitCode.AIRFLOW;
}

/** `error: …` and `hint: …` lines for stderr. */
export function formatError(error: MwaaCliError): string {
  return `error: ${error.message}${error.hint ? `\nhint: ${error.hint}` : ''}\n`;
}
