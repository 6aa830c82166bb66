/** The logger shape `onShutdown` needs (pino's fits). */
interface ShutdownLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Calls `close` once on the first SIGTERM or SIGINT, then exits 0 (1 when closing failed). A
 * service's graceful stop: a worker hands its running jobs back, the API stops listening.
 */
export function onShutdown(close: () => Promise<void>, log: ShutdownLog, message = 'closing'): void {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      log.info({ signal }, message);
      close().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'close failed');
          process.exit(1);
        },
      );
    });
  }
}
