/**
 * Runs a contract suite against a server engine when its URL is set; otherwise prints one line
 * saying the suite was skipped and why, and reports it as a skipped test.
 */
export function withEngine(variable: 'EVENTSTORE_URL' | 'MONGODB_URL', engine: string, suite: (url: string) => void): void {
  const url = process.env[variable];
  if (url) {
    suite(url);
    return;
  }
  const reason = `${engine} contract suite skipped: ${variable} is not set (start one with \`docker compose -f docker/compose.yml up -d\`, then see the README's "Run on EventStoreDB and MongoDB")`;
  process.stdout.write(`${reason}\n`);
  describe(`${engine} contract`, () => {
    // Skipped on purpose, with the reason as its name: the suite needs a server this machine lacks,
    // and jest's summary then shows it as skipped instead of the file vanishing from the count.
    it.skip(reason, () => undefined);
  });
}
