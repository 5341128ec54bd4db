-- stom-broker-sim's paper accounts, kept across restarts when it runs with
-- --database (docs/broker-sim.md). The sim is the only writer; each change
-- (an order placed, filled, cancelled or refused) is written in one
-- transaction before its reply or event goes out.

CREATE TABLE broker_sim_accounts (
    account      text PRIMARY KEY,
    cash         bigint NOT NULL,             -- won
    last_fill_id bigint NOT NULL DEFAULT 0,   -- fill ids count up per account
    clock_ns     bigint,                      -- replay: the last replayed trade (UTC ns)
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE broker_sim_positions (
    account text NOT NULL REFERENCES broker_sim_accounts ON DELETE CASCADE,
    symbol  text NOT NULL,
    qty     bigint NOT NULL,
    cost    bigint NOT NULL,                  -- won paid for the shares held, fees included
    PRIMARY KEY (account, symbol)
);

-- Every order the sim answered, refusals included, so that a place
-- repeated with the same client order id gets the first answer after a
-- restart too. order_id is the market's id (broker order no "S<id>"),
-- NULL for a refusal.
CREATE TABLE broker_sim_orders (
    account         text NOT NULL REFERENCES broker_sim_accounts ON DELETE CASCADE,
    client_order_id text NOT NULL,
    order_id        bigint,
    symbol          text NOT NULL,
    side            smallint NOT NULL CHECK (side IN (-1, 1)),
    is_limit        boolean NOT NULL,
    price           bigint NOT NULL,          -- 0 for a market order
    qty             bigint NOT NULL,
    filled          bigint NOT NULL DEFAULT 0,
    cum_value       bigint NOT NULL DEFAULT 0, -- sum of fill qty x price
    state           text NOT NULL CHECK (state IN ('working', 'filled', 'cancelled', 'rejected')),
    bound           bigint NOT NULL DEFAULT 0, -- buys: the price the cash reservation assumed
    reserved        bigint NOT NULL DEFAULT 0, -- cash or shares still reserved
    decision_ns     bigint NOT NULL,
    accepted_ns     bigint NOT NULL,
    ack_code        integer NOT NULL,         -- the first answer: OrderStatus, or ErrorCode when refused
    reason          text NOT NULL DEFAULT '', -- a refusal's message
    PRIMARY KEY (account, client_order_id),
    UNIQUE (account, order_id)
);

CREATE TABLE broker_sim_fills (
    account         text NOT NULL REFERENCES broker_sim_accounts ON DELETE CASCADE,
    fill_id         bigint NOT NULL,
    order_id        bigint NOT NULL,
    client_order_id text NOT NULL,
    symbol          text NOT NULL,
    side            smallint NOT NULL CHECK (side IN (-1, 1)),
    qty             bigint NOT NULL,
    price           bigint NOT NULL,
    commission      bigint NOT NULL,
    tax             bigint NOT NULL,
    ts_ns           bigint NOT NULL,
    cum_qty         bigint NOT NULL,          -- the order's totals after this fill
    cum_value       bigint NOT NULL,
    PRIMARY KEY (account, fill_id)
);
