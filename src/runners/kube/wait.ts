// The pause between two polls of a Kubernetes object (a Job, a TestRun). It resolves early on abort
// instead of rejecting like node:timers/promises, so a poll loop checks its own signal and ends with
// the result it has so far; the abort listener is removed when the timer fires, so a long poll loop
// does not pile listeners onto one signal.
export function pollPause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((done) => {
    if (signal?.aborted) return done();
    const onAbort = () => {
      clearTimeout(timer);
      done();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      done();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
