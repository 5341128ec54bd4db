// api.ts - the gateway's /api/v1, with the bearer token, one refresh on 401, and errors
// that carry the gateway's own message (`{error: {code, message, fields}}`).

import { accessToken, refreshToken, setTokens, setUser } from './auth';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

/** Called when the session is over (refresh refused): the app goes to the login page. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(f: () => void): void {
  onSignedOut = f;
}

let refreshing: Promise<boolean> | null = null;

async function refresh(): Promise<boolean> {
  const rt = refreshToken();
  if (!rt) return false;
  refreshing ??= (async () => {
    try {
      const r = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: rt }),
      });
      if (!r.ok) return false;
      setTokens(await r.json());
      return true;
    } catch {
      return false;
    } finally {
      setTimeout(() => (refreshing = null), 0);
    }
  })();
  return refreshing;
}

async function toError(r: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await r.json();
  } catch {
    /* not JSON */
  }
  const e = (body as { error?: { code?: string; message?: string; fields?: Record<string, string> } })?.error;
  return new ApiError(r.status, e?.code ?? `http_${r.status}`, e?.message ?? r.statusText, e?.fields ?? {}, body);
}

export interface RequestOptions {
  body?: unknown;
  /** A raw body (CSV upload) with its content type. */
  raw?: { data: BodyInit; type: string };
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const send = () => {
    const headers: Record<string, string> = {};
    const token = accessToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (opts.raw) {
      headers['Content-Type'] = opts.raw.type;
      body = opts.raw.data;
    } else if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    return fetch(`/api/v1${path}`, { method, headers, body, signal: opts.signal });
  };
  let r = await send();
  if (r.status === 401 && !path.startsWith('/auth/') && (await refresh())) r = await send();
  if (r.status === 401 && !path.startsWith('/auth/')) {
    setTokens(null);
    setUser(null);
    onSignedOut();
  }
  if (!r.ok) throw await toError(r);
  if (r.status === 204) return undefined as T;
  const text = await r.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, { signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** A query string from the defined values: qs({a: 1, b: undefined}) → "?a=1". */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
