// strategy/types.ts - the gateway's strategy shapes (docs/gateway-api.md, "Strategies").

import type { ParamSpec, ParamValues } from './params';
import type { Problem } from './editor';

export interface StrategySummary {
  id: number;
  name: string;
  description: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Strategy extends StrategySummary {
  code: string;
  params: ParamValues | null;
  message?: string;
}

export interface Builtin {
  name: string;
  description: string;
  params: ParamSpec[];
}

export interface CheckResult {
  ok: boolean;
  errors: Problem[];
  warnings: Problem[];
  params: ParamSpec[];
}
