/** What src/cm needs from a log; VS Code's LogOutputChannel satisfies it, and tests pass a recorder. */
export interface CmLogger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
