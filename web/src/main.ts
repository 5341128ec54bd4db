// main.ts - the app's entry: theme, frame, session, routes.

import './style.css';
import { whenSignedOut } from './api';
import { currentUser } from './auth';
import { lang } from './i18n';
import { layoutFor, mountLayout } from './layout';
import { routes } from './routes';
import { navigate, startRouter } from './router';
import { restoreSession } from './session';
import { initTheme } from './theme';

initTheme();
document.documentElement.lang = lang();
const app = document.getElementById('app')!;
const page = mountLayout(app);

whenSignedOut(() => navigate('/login'));

void restoreSession().then(() => {
  startRouter(page, routes, {
    guard: (r) => {
      if (r.auth !== false && !currentUser()) return '/login';
      if ((r.path === '/login' || r.path === '/register') && currentUser()) return '/dashboard';
      return null;
    },
    afterRender: (r) => layoutFor(r),
  });
});
