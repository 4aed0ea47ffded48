import { useEffect } from 'preact/hooks';
import { Layout } from './components/layout.tsx';
import { Loading } from './components/feedback.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { SetupPage, SignInPage } from './pages/sign-in.tsx';
import { ROUTES } from './routes.tsx';
import { location, matchPath } from './state/router.ts';
import { resumeSession, session } from './state/session.ts';
import { useStore } from './state/store.ts';

function CurrentPage() {
  const url = useStore(location);
  for (const route of ROUTES) {
    const match = matchPath(route.path, url.pathname);
    if (match !== undefined) {
      const Page = route.component;
      return <Page params={match.params} />;
    }
  }
  return <NotFoundPage />;
}

export function App() {
  const state = useStore(session);
  useEffect(() => {
    void resumeSession();
  }, []);
  switch (state.kind) {
    case 'loading':
      return (
        <main id="main" class="auth-page">
          <Loading />
        </main>
      );
    case 'setup-needed':
      return <SetupPage />;
    case 'signed-out':
      return <SignInPage reason={state.reason} />;
    case 'signed-in':
      return (
        <Layout user={state.user} routes={ROUTES}>
          <CurrentPage />
        </Layout>
      );
  }
}
