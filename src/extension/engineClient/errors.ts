/**
 * Typed failures of the engine child process. Each carries a `kind` discriminant besides its
 * class, because code bundled separately (the integration tests) gets its own copy of these
 * classes and `instanceof` would not match across bundles.
 */
import { EngineErrorCode } from '../../shared/protocol';

/** The engine process exited (crash, kill, out of memory) while a request was in flight, or could not start. */
export class EngineCrashedError extends Error {
  readonly kind = 'engineCrashed' as const;
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(message);
    this.name = 'EngineCrashedError';
  }
}

/** The engine answered a request with a JSON-RPC error (bad config, bad data, busy, …). */
export class EngineRequestError extends Error {
  readonly kind = 'engineRequest' as const;
  constructor(
    message: string,
    readonly code: EngineErrorCode | number,
    readonly method: string,
  ) {
    super(message);
    this.name = 'EngineRequestError';
  }
}

/** The request was cancelled by the host (JSON-RPC RequestCancelled). */
export class EngineCancelledError extends Error {
  readonly kind = 'engineCancelled' as const;
  constructor(readonly method: string) {
    super(`${method} was cancelled`);
    this.name = 'EngineCancelledError';
  }
}

export function isEngineCrashed(e: unknown): e is EngineCrashedError {
  return (e as { kind?: string } | undefined)?.kind === 'engineCrashed';
}

export function isEngineRequestError(e: unknown): e is EngineRequestError {
  return (e as { kind?: string } | undefined)?.kind === 'engineRequest';
}
