/** Why a webhook URL is refused on its form alone (where it points is checked where DNS can be asked), or null. */
export function webhookUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'url must be an absolute http or https URL, e.g. https://hooks.example.com/complaint-desk';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `url must use http or https (got ${url.protocol.slice(0, -1)})`;
  if (url.username !== '' || url.password !== '') return 'url must not hold a user name or password: the signature authenticates the sender';
  // Port 0 is no port a server listens on: every delivery would fail until it is a dead letter.
  if (url.port === '0') return 'url must not use port 0: name the port the receiver listens on, or leave it out (443 for https, 80 for http)';
  if (url.hash !== '') return 'url must not have a fragment (#…): it is never sent';
  if (text.length > 2000) return 'url must be at most 2000 characters';
  return null;
}
