/** Polls until `check` returns true or the deadline passes; returns the last result. */
export async function eventually(check: () => Promise<boolean>, deadlineMs = 10_000): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
