import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody, startHttpServer } from './http-servers.ts';
import type { TestServer } from './http-servers.ts';

/** The one account the test site accepts. */
export const SITE_USER = 'alice';
export const SITE_PASSWORD = 's3cret-pw';

/** A small site for browser checks: a login form, a slow page, a 500 and a page that hangs. */
export interface BrowserSite extends TestServer {
  /** Most requests to /slow in progress at once, since the start. */
  readonly maxConcurrentSlow: number;
  /** Responses held open by /hang now. */
  readonly hanging: number;
}

const LOGIN_FORM = `<!doctype html><html><head><title>Sign in</title></head><body>
<form method="post" action="/login">
  <label>User <input id="user" name="user"></label>
  <label>Password <input id="password" name="password" type="password"></label>
  <button type="submit">Sign in</button>
</form></body></html>`;

/** Starts the site on 127.0.0.1, port 0. `slowMs` is how long /slow takes to answer. */
export async function startBrowserSite(slowMs = 300): Promise<BrowserSite> {
  let slowNow = 0;
  let maxConcurrentSlow = 0;
  const hanging = new Set<ServerResponse>();
  const html = (res: ServerResponse, status: number, body: string): void => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  };
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/': (_req, res) => html(res, 200, LOGIN_FORM),
    '/login': (req, res) => void login(req, res, html),
    '/favicon.ico': (_req, res) => res.writeHead(204).end(),
    '/error': (_req, res) => html(res, 500, '<title>Oops</title><h1>Internal error</h1>'),
    '/slow': (_req, res) => {
      slowNow += 1;
      maxConcurrentSlow = Math.max(maxConcurrentSlow, slowNow);
      setTimeout(() => {
        slowNow -= 1;
        html(res, 200, '<title>Slow</title><h1>Done</h1>');
      }, slowMs);
    },
    '/hang': (_req, res) => {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
    },
    '/noise': (_req, res) => html(res, 200, noisyPage()),
  };
  const server = await startHttpServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    const route = routes[path];
    if (route === undefined) html(res, 404, '<h1>Not found</h1>');
    else route(req, res);
  });
  return {
    ...server,
    get maxConcurrentSlow() {
      return maxConcurrentSlow;
    },
    get hanging() {
      return hanging.size;
    },
  };
}

async function login(
  req: IncomingMessage,
  res: ServerResponse,
  html: (res: ServerResponse, status: number, body: string) => void,
): Promise<void> {
  const form = new URLSearchParams(await readRequestBody(req));
  const user = form.get('user') ?? '';
  const password = form.get('password') ?? '';
  if (user === SITE_USER && password === SITE_PASSWORD) {
    html(res, 200, `<title>Home</title><h1>Welcome ${user}</h1>`);
    return;
  }
  // The failure page logs what was typed, as careless sites do: the check must scrub secrets.
  const logged = JSON.stringify(`login failed for ${user} with ${password}`);
  html(
    res,
    401,
    `<title>Sign in</title><h1>Login failed</h1><script>console.error(${logged})</script>`,
  );
}

/** A page of random colours, so a JPEG of it is large (for the screenshot size cap). */
function noisyPage(): string {
  const cells: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const colour = Math.floor(Math.random() * 0xffffff)
      .toString(16)
      .padStart(6, '0');
    cells.push(`<i style="background:#${colour}"></i>`);
  }
  return `<title>Noise</title><style>body{margin:0;display:flex;flex-wrap:wrap}i{width:16px;height:16px}</style>${cells.join('')}`;
}
