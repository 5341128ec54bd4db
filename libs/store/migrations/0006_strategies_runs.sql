-- Users' strategies and runs (services/gateway). A strategy belongs to one
-- user; every update adds a version with its code, so any two versions can
-- be compared. A run is a backtest or an optimization a user submitted
-- through the gateway: the coordinator's job (jobs.id) plus who owns it and
-- the exact strategy code and parameters it ran with.

CREATE TABLE strategies (
    id          bigserial PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    language    text NOT NULL DEFAULT 'lua' CHECK (language IN ('lua')),
    version     integer NOT NULL DEFAULT 1, -- the latest version
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX strategies_user_name ON strategies (user_id, lower(name));

CREATE TABLE strategy_versions (
    strategy_id bigint NOT NULL REFERENCES strategies (id) ON DELETE CASCADE,
    version     integer NOT NULL,
    code        text NOT NULL,
    params      jsonb NOT NULL DEFAULT '{}', -- default parameter values
    message     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (strategy_id, version)
);

CREATE TABLE runs (
    job_id           text PRIMARY KEY,       -- jobs.id (no FK: the job may be deleted first)
    user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('backtest', 'optimization')),
    strategy_id      bigint REFERENCES strategies (id) ON DELETE SET NULL,
    strategy_version integer,
    strategy_name    text NOT NULL,
    strategy_code    text,                   -- the code it ran with (NULL: a built-in)
    request          jsonb NOT NULL,         -- the request as submitted
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_user ON runs (user_id, kind, created_at DESC);
