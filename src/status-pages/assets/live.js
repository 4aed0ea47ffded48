// Keeps an open status page current. Not <meta http-equiv="refresh">: that reloads the whole
// page under a reader's feet (WCAG 2.2.1, axe "meta-refresh") and even in a hidden tab. Every
// minute, while the tab is shown, the page is fetched again (the server answers from its cache,
// or 304) and its <main> swapped in; a round is skipped while focus is inside <main>, so a
// keyboard or screen-reader user never loses their place.
const PERIOD_MS = 60_000;

async function refresh() {
  const shown = document.querySelector('main');
  if (document.visibilityState !== 'visible' || shown === null) return;
  if (shown.contains(document.activeElement) && document.activeElement !== document.body) return;
  try {
    const response = await fetch(location.href, { headers: { accept: 'text/html' } });
    if (!response.ok) return;
    const fresh = new DOMParser()
      .parseFromString(await response.text(), 'text/html')
      .querySelector('main');
    if (fresh !== null) shown.replaceWith(document.adoptNode(fresh));
  } catch {
    // Offline for a moment: the page keeps what it shows and the next round tries again.
  }
}

setInterval(() => void refresh(), PERIOD_MS);
