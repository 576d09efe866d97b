// When a closed server connection is restarted. A binary that never completes `initialize` (wrong
// architecture, not a language server, crashes at start-up) is never restarted; one that ran fine and then
// crashed is restarted a few times, but not in a loop.

export type CloseDecision = "restart" | "give-up";

export class RestartPolicy {
  private crashTimes: number[] = [];

  constructor(
    private readonly maxRestarts = 3,
    private readonly windowMs = 3 * 60 * 1000,
  ) {}

  onClosed(nowMs: number, reachedRunning: boolean): CloseDecision {
    if (!reachedRunning) {
      return "give-up";
    }
    this.crashTimes = this.crashTimes.filter((time) => nowMs - time < this.windowMs);
    this.crashTimes.push(nowMs);
    return this.crashTimes.length <= this.maxRestarts ? "restart" : "give-up";
  }

  /** A deliberate restart by the user starts with a clean slate. */
  reset(): void {
    this.crashTimes = [];
  }
}
