// auth.ts - the signed-in session: the access and refresh tokens (sessionStorage, so a
// closed tab signs out) and the user they belong to. Only api.ts and the login page
// write it; everything else reads `currentUser()`.

export interface User {
  id: number;
  username: string;
  email: string;
  role: 'admin' | 'trader' | 'viewer' | string;
  created_at: string;
}

interface Tokens {
  access_token: string;
  refresh_token: string;
}

const KEY = 'stom.session';
let tokens: Tokens | null = load();
let user: User | null = null;

function load(): Tokens | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

export function setTokens(t: Tokens | null): void {
  tokens = t ? { access_token: t.access_token, refresh_token: t.refresh_token } : null;
  try {
    if (tokens) sessionStorage.setItem(KEY, JSON.stringify(tokens));
    else sessionStorage.removeItem(KEY);
  } catch {
    /* storage refused: the session lasts for this page */
  }
}

export function accessToken(): string | null {
  return tokens?.access_token ?? null;
}

export function refreshToken(): string | null {
  return tokens?.refresh_token ?? null;
}

export function currentUser(): User | null {
  return user;
}

export function setUser(u: User | null): void {
  user = u;
}

export function isAdmin(): boolean {
  return user?.role === 'admin';
}

export function canTrade(): boolean {
  return user?.role === 'admin' || user?.role === 'trader';
}
