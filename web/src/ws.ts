// ws.ts - the app's one WebSocket to the gateway (/api/v1/ws), shared by every page.
//
// Pages call `subscribe(topic, handler)` and keep the function it returns to unsubscribe;
// topics are reference-counted, so two pages on one topic share it. The socket signs in
// with its first message ({"type":"auth"}, so the token is never in a URL or a log),
// reconnects with backoff (0.5 s doubling to 10 s) and subscribes again to every live
// topic. `onStatus` reports 'connecting' | 'open' | 'closed' for the header's indicator.

import { accessToken } from './auth';
import { api } from './api';

export type WsStatus = 'connecting' | 'open' | 'closed';
export interface WsEvent {
  type: 'event';
  topic: string;
  seq: number;
  data: unknown;
}
type Handler = (e: WsEvent) => void;

const handlers = new Map<string, Set<Handler>>();
const statusListeners = new Set<(s: WsStatus, detail?: string) => void>();
let socket: WebSocket | null = null;
let status: WsStatus = 'closed';
let backoffMs = 500;
let reconnectTimer: number | undefined;
let pingTimer: number | undefined;
let wanted = false;

function setStatus(s: WsStatus, detail?: string): void {
  status = s;
  for (const f of statusListeners) f(s, detail);
}

function send(obj: unknown): void {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(obj));
}

function dispatch(msg: { type?: string; topic?: string; message?: string; code?: string }): void {
  if (msg.type === 'event' && msg.topic) {
    const set = handlers.get(msg.topic);
    if (set) for (const f of set) f(msg as WsEvent);
  } else if (msg.type === 'authenticated') {
    backoffMs = 500;
    setStatus('open');
    for (const topic of handlers.keys()) send({ type: 'subscribe', topic });
  } else if (msg.type === 'error') {
    console.warn(`WebSocket: ${msg.code}: ${msg.message}`);
  }
}

async function open(): Promise<void> {
  if (!wanted || socket) return;
  // A stale access token would be refused: a cheap authenticated call refreshes it first.
  try {
    await api.get('/auth/me');
  } catch {
    /* api.ts signs out on 401; a network error just retries below */
  }
  const token = accessToken();
  if (!wanted || !token) return;
  setStatus('connecting');
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${proto}//${location.host}/api/v1/ws`);
  socket = ws;
  ws.onopen = () => {
    ws.send(JSON.stringify({ type: 'auth', token }));
    window.clearInterval(pingTimer);
    pingTimer = window.setInterval(() => send({ type: 'ping' }), 20000);
  };
  ws.onmessage = (ev) => {
    try {
      dispatch(JSON.parse(String(ev.data)));
    } catch (e) {
      console.warn('WebSocket: a message that is not JSON', e);
    }
  };
  ws.onclose = (ev) => {
    if (socket !== ws) return;
    socket = null;
    window.clearInterval(pingTimer);
    setStatus('closed', ev.reason || undefined);
    if (!wanted) return;
    window.clearTimeout(reconnectTimer);
    reconnectTimer = window.setTimeout(() => void open(), backoffMs);
    backoffMs = Math.min(backoffMs * 2, 10000);
  };
}

/** Starts the connection (after sign-in). */
export function connect(): void {
  wanted = true;
  void open();
}

/** Closes it (sign-out). */
export function disconnect(): void {
  wanted = false;
  window.clearTimeout(reconnectTimer);
  const ws = socket;
  socket = null;
  ws?.close(1000, 'signed out');
  setStatus('closed');
}

export function subscribe(topic: string, handler: Handler): () => void {
  let set = handlers.get(topic);
  if (!set) {
    set = new Set();
    handlers.set(topic, set);
    if (status === 'open') send({ type: 'subscribe', topic });
  }
  set.add(handler);
  return () => {
    const s = handlers.get(topic);
    if (!s) return;
    s.delete(handler);
    if (s.size === 0) {
      handlers.delete(topic);
      if (status === 'open') send({ type: 'unsubscribe', topic });
    }
  };
}

export function wsStatus(): WsStatus {
  return status;
}

export function onStatus(f: (s: WsStatus, detail?: string) => void): () => void {
  statusListeners.add(f);
  return () => statusListeners.delete(f);
}
