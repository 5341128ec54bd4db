-- The live engine's state besides the order journal (docs/engine.md).
-- The engine writes these rows; the gateway reads them, scoped to the
-- accounts a user owns, and sends controls to the engine over nng.

-- Broker accounts and who may trade them. A user sees the orders,
-- positions, balances, strategy runs and risk events of their accounts
-- only (an admin sees all).
CREATE TABLE broker_accounts (
    account    text PRIMARY KEY,
    broker     text NOT NULL,                 -- "sim", "ls", "kiwoom"
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       text NOT NULL DEFAULT '',
    paper      boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX broker_accounts_user ON broker_accounts (user_id);

-- The broker's figures of an account, as the engine last read them.
CREATE TABLE account_balances (
    account      text PRIMARY KEY REFERENCES broker_accounts ON DELETE CASCADE,
    cash         bigint NOT NULL,   -- 예수금, won
    buying_power bigint NOT NULL,   -- 주문가능금액
    equity       bigint NOT NULL,   -- 추정자산: cash + market value
    realized_pnl bigint NOT NULL DEFAULT 0, -- today
    updated_at   timestamptz NOT NULL
);

-- Strategy instances the engine runs (StrategyControl START..STOP).
-- state follows stom.v1.StrategyState in lower case.
CREATE TABLE engine_strategies (
    instance_id      text PRIMARY KEY,
    user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account          text NOT NULL REFERENCES broker_accounts ON DELETE CASCADE,
    strategy_name    text NOT NULL,    -- a built-in, or the stored strategy's name
    strategy_id      bigint REFERENCES strategies (id) ON DELETE SET NULL,
    strategy_version integer,
    params           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
    symbols          text[] NOT NULL,
    timeframe        text NOT NULL,    -- "1m", "5m", "1d" ...
    order_qty        bigint NOT NULL DEFAULT 0,   -- shares per entry (0: by amount)
    order_amount     bigint NOT NULL DEFAULT 0,   -- won per entry (0: by quantity)
    state            text NOT NULL CHECK (state IN ('stopped', 'starting', 'running', 'paused',
                                                    'stopping', 'failed')),
    message          text NOT NULL DEFAULT '',
    realized_pnl     bigint NOT NULL DEFAULT 0,   -- today, won
    open_orders      integer NOT NULL DEFAULT 0,
    positions        integer NOT NULL DEFAULT 0,
    started_at       timestamptz NOT NULL DEFAULT now(),
    stopped_at       timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX engine_strategies_user ON engine_strategies (user_id, started_at DESC);

-- Positions as the engine books them from fills and marks (stom.v1.Position).
CREATE TABLE engine_positions (
    account        text NOT NULL REFERENCES broker_accounts ON DELETE CASCADE,
    symbol         text NOT NULL,
    qty            bigint NOT NULL,
    avg_price      bigint NOT NULL,
    last_price     bigint NOT NULL,
    market_value   bigint NOT NULL,
    cost           bigint NOT NULL,
    unrealized_pnl bigint NOT NULL,
    realized_pnl   bigint NOT NULL,   -- today
    fees           bigint NOT NULL,
    taxes          bigint NOT NULL,
    strategy_id    text NOT NULL DEFAULT '',
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (account, symbol)
);

-- Risk limits per account, the JSON of one account in docs/risk.md
-- ({"capital": .., "max_order_value": .., "strategies": {"id": {..}}}).
CREATE TABLE risk_settings (
    account    text PRIMARY KEY REFERENCES broker_accounts ON DELETE CASCADE,
    limits     jsonb NOT NULL CHECK (jsonb_typeof(limits) = 'object'),
    updated_by bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Halts last until a trader resumes them, across engine restarts.
-- account '' halts all trading; strategy '' the whole account.
CREATE TABLE risk_halts (
    account    text NOT NULL,
    strategy   text NOT NULL DEFAULT '',
    kind       text NOT NULL,            -- stom.v1.RiskKind without its prefix, lower case
    reason     text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account, strategy)
);

-- Every risk event the engine published on eng.risk.
CREATE TABLE risk_events (
    id              bigserial PRIMARY KEY,
    account         text NOT NULL DEFAULT '',
    instance_id     text NOT NULL DEFAULT '',
    kind            text NOT NULL,
    action          text NOT NULL,
    rule            text NOT NULL DEFAULT '',
    symbol          text NOT NULL DEFAULT '',
    client_order_id text NOT NULL DEFAULT '',
    limit_value     bigint,
    value           bigint,
    message         text NOT NULL,
    at              timestamptz NOT NULL
);
CREATE INDEX risk_events_account ON risk_events (account, at DESC);

-- Surge alerts (급등주) the engine published on eng.surge. Market-wide:
-- every trader sees them.
CREATE TABLE surge_alerts (
    id               bigserial PRIMARY KEY,
    symbol           text NOT NULL,
    kind             text NOT NULL,      -- price, value, strength, volume
    price            bigint NOT NULL,
    change_bp        integer NOT NULL,
    window_ms        bigint NOT NULL,
    window_change_bp integer NOT NULL,
    value_ratio_bp   integer NOT NULL,
    strength_bp      integer NOT NULL,
    day_value        bigint NOT NULL,
    score            double precision NOT NULL,
    message          text NOT NULL,
    at               timestamptz NOT NULL
);
CREATE INDEX surge_alerts_at ON surge_alerts (at DESC);
