-- Backtest and optimisation jobs (services/backtester). A job is the
-- submitted JobSpec (packed protobuf, the exact request) plus its state; its
-- tasks are the parameter sets x folds the coordinator cut it into, with
-- their current lease; results hold one row per finished task, written once
-- (primary key, ON CONFLICT DO NOTHING); task_runs record who ran what and
-- how long it took, apart from results so that result rows are identical
-- whichever worker produced them. Trades and equity points are kept for
-- single-run jobs (the report of one backtest).

CREATE TABLE jobs (
    id             text PRIMARY KEY,
    owner          text NOT NULL DEFAULT '',
    title          text NOT NULL DEFAULT '',
    strategy       text NOT NULL,
    method         text NOT NULL,
    spec           bytea NOT NULL,
    state          text NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'running', 'paused', 'done', 'failed', 'cancelled')),
    error          text,
    total_tasks    bigint NOT NULL DEFAULT 0,
    done_tasks     bigint NOT NULL DEFAULT 0,
    failed_tasks   bigint NOT NULL DEFAULT 0,
    best_objective double precision,
    submitted_at   timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    finished_at    timestamptz
);
CREATE INDEX jobs_unfinished ON jobs (submitted_at) WHERE state IN ('queued', 'running', 'paused');
CREATE INDEX jobs_owner ON jobs (owner, submitted_at DESC);

CREATE TABLE tasks (
    job_id        text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    task_id       bigint NOT NULL,
    unit          integer NOT NULL,
    fold          integer NOT NULL,
    phase         text NOT NULL CHECK (phase IN ('search', 'test')),
    candidate     bigint NOT NULL,
    params        jsonb NOT NULL,
    state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'leased', 'done')),
    attempt       integer NOT NULL DEFAULT 0,
    lease_token   bigint,
    lease_expires timestamptz,
    worker        text,
    PRIMARY KEY (job_id, task_id)
);

CREATE TABLE results (
    job_id          text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    task_id         bigint NOT NULL,
    unit            integer NOT NULL,
    fold            integer NOT NULL,
    phase           text NOT NULL,
    candidate       bigint NOT NULL,
    params          jsonb NOT NULL,
    status          text NOT NULL CHECK (status IN ('ok', 'failed')),
    error           text,
    objective       double precision,
    valid_objective double precision,
    test_objective  double precision,
    constraints_met boolean NOT NULL DEFAULT true,
    violated        text[] NOT NULL DEFAULT '{}',
    metrics         jsonb,
    valid_metrics   jsonb,
    test_metrics    jsonb,
    result          bytea NOT NULL, -- the packed TaskResult, without worker and timing
    PRIMARY KEY (job_id, task_id)
);
CREATE INDEX results_rank ON results (job_id, phase, objective DESC NULLS LAST, task_id);

-- The decided best set of each search unit (walk-forward window, or the
-- whole search), written when the unit's search ends.
CREATE TABLE job_units (
    job_id         text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    unit           integer NOT NULL,
    best_candidate bigint NOT NULL,
    best_objective double precision,
    params         jsonb NOT NULL,
    PRIMARY KEY (job_id, unit)
);

CREATE TABLE task_runs (
    job_id      text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    task_id     bigint NOT NULL,
    worker      text NOT NULL,
    attempt     integer NOT NULL,
    elapsed_ms  bigint NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_runs_job ON task_runs (job_id, task_id);

CREATE TABLE trades (
    job_id      text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    task_id     bigint NOT NULL,
    seq         integer NOT NULL,
    symbol      text NOT NULL,
    side        text NOT NULL CHECK (side IN ('long', 'short')),
    qty         bigint NOT NULL,
    entry_ts    bigint NOT NULL,
    exit_ts     bigint NOT NULL,
    entry_price bigint NOT NULL,
    exit_price  bigint NOT NULL,
    pnl         bigint NOT NULL,
    return_pct  double precision NOT NULL,
    fees        bigint NOT NULL,
    taxes       bigint NOT NULL,
    open_at_end boolean NOT NULL,
    PRIMARY KEY (job_id, task_id, seq)
);

CREATE TABLE equity_points (
    job_id  text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    task_id bigint NOT NULL,
    ts      bigint NOT NULL,
    equity  bigint NOT NULL,
    PRIMARY KEY (job_id, task_id, ts)
);
