/**
 * `awslambda.InvokeStore` of the 4.x client (nodejs24.x): per-invocation values, with the
 * request id, X-Ray trace id and tenant id under protected keys. Single concurrency only,
 * as this tool runs one invocation at a time; the 4.x client runs each handler call inside
 * `run()` with those three set.
 */
export const PROTECTED_KEYS = {
  REQUEST_ID: Symbol.for('_AWS_LAMBDA_REQUEST_ID'),
  X_RAY_TRACE_ID: Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID'),
  TENANT_ID: Symbol.for('_AWS_LAMBDA_TENANT_ID'),
} as const;

type Store = Record<string | symbol, unknown>;

export class InvokeStore {
  static PROTECTED_KEYS = PROTECTED_KEYS;
  private current: Store | undefined;

  isProtectedKey(key: string | symbol): boolean {
    return (Object.values(PROTECTED_KEYS) as (string | symbol)[]).includes(key);
  }
  getRequestId(): unknown {
    return this.get(PROTECTED_KEYS.REQUEST_ID) ?? '-';
  }
  getXRayTraceId(): unknown {
    return this.get(PROTECTED_KEYS.X_RAY_TRACE_ID);
  }
  getTenantId(): unknown {
    return this.get(PROTECTED_KEYS.TENANT_ID);
  }
  getContext(): Store | undefined {
    return this.current;
  }
  hasContext(): boolean {
    return this.current !== undefined;
  }
  get(key: string | symbol): unknown {
    return this.current?.[key];
  }
  set(key: string | symbol, value: unknown): void {
    if (this.isProtectedKey(key)) throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    this.current = this.current ?? {};
    this.current[key] = value;
  }
  run<T>(context: Store, fn: () => T): T {
    this.current = context;
    return fn();
  }
}
