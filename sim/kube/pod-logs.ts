// Pod logs as the kubelet serves them: it rotates a container's log file once it passes
// containerLogMaxSize (default 10 MiB), and the log API then returns only the current file — what came
// before is gone for `kubectl logs` and every client. Rotation happens between lines (the runtime
// writes whole lines), so the current file starts at a line.
export const KUBELET_LOG_MAX_BYTES = 10 * 1024 * 1024;

/** What the log API returns of a container's whole output: the file being written since the last rotation. */
export function currentLogFile(text: string, maxBytes = KUBELET_LOG_MAX_BYTES): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let start = 0;
  let size = 0;
  let from = 0;
  while (from < text.length) {
    const end = text.indexOf('\n', from);
    const next = end < 0 ? text.length : end + 1;
    size += Buffer.byteLength(text.slice(from, next));
    from = next;
    // Past the limit: the file is rotated, and the next line starts a new one.
    if (size > maxBytes) {
      start = from;
      size = 0;
    }
  }
  return text.slice(start);
}
