-- Scheduled jobs of the live engine (services/engine/schedule,
-- docs/scheduler.md). A job belongs to one user and fires at most once per
-- KRX trading day at its "when" (canonical text: "09:05", "open",
-- "close-10") on the weekdays in days (bit 0 = Monday .. bit 4 = Friday).
-- next_fire_at is computed by the engine from the KRX calendar (libs/core)
-- and is NULL while the job is disabled; the engine claims due rows with
-- FOR UPDATE SKIP LOCKED, so two engines never fire the same job twice.
-- A fire the engine missed on an earlier day is not run late: it is
-- counted in missed_count and stamped in last_missed_at.

CREATE TABLE schedules (
    id             bigserial PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           text NOT NULL,
    when_spec      text NOT NULL,
    days           smallint NOT NULL DEFAULT 31 CHECK (days BETWEEN 1 AND 31),
    action         text NOT NULL CHECK (action IN ('start_strategy', 'stop_strategy',
                                                   'liquidate', 'record_bars', 'run_backtest')),
    args           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(args) = 'object'),
    enabled        boolean NOT NULL DEFAULT true,
    next_fire_at   timestamptz,
    last_fired_at  timestamptz,
    last_missed_at timestamptz,
    missed_count   integer NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT enabled OR next_fire_at IS NOT NULL)
);
CREATE UNIQUE INDEX schedules_user_name ON schedules (user_id, lower(name));
-- The claim's scan: only enabled jobs, in fire order.
CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE enabled;
