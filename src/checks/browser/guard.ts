import type { BrowserContext } from 'playwright-core';

/**
 * Lets the page load only http(s) (and the data/blob URLs it builds itself, which never reach
 * the router): a link or redirect to file:, chrome: or ftp: is aborted, so a monitor can never
 * make this node's browser read local files or its own internal pages.
 */
export async function blockOtherSchemes(context: BrowserContext): Promise<void> {
  await context.route(
    (url) => url.protocol !== 'http:' && url.protocol !== 'https:',
    (route) => route.abort('blockedbyclient'),
  );
}
