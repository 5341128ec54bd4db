// session.ts - starting a signed-in session: after the login form, and on page load
// when the tab still holds tokens.

import { api } from './api';
import { setTokens, setUser, accessToken, type User } from './auth';
import { connect } from './ws';

export async function completeSignIn(tokens: { access_token: string; refresh_token: string }): Promise<User> {
  setTokens(tokens);
  const me = await api.get<User>('/auth/me');
  setUser(me);
  connect();
  return me;
}

/** The user of the tab's stored tokens, or null (no tokens, or they were refused). */
export async function restoreSession(): Promise<User | null> {
  if (!accessToken()) return null;
  try {
    const me = await api.get<User>('/auth/me');
    setUser(me);
    connect();
    return me;
  } catch {
    setTokens(null);
    return null;
  }
}
