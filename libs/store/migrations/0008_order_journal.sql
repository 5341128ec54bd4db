-- The live engine's order journal (services/engine/oms, docs/oms.md). An order
-- is written here, state 'pending', before it is sent to a broker; every
-- broker answer and fill is an event row written in the same transaction as
-- the order's new state. On start the engine reconciles the orders that are
-- not final with what the broker says.

CREATE TABLE order_journal (
    client_order_id text PRIMARY KEY,
    broker          text NOT NULL,
    account         text NOT NULL,
    strategy        text NOT NULL DEFAULT '',
    symbol          text NOT NULL,
    side            smallint NOT NULL CHECK (side IN (-1, 1)),
    order_type      text NOT NULL CHECK (order_type IN ('market', 'limit')),
    qty             bigint NOT NULL CHECK (qty > 0),
    limit_price     bigint CHECK (limit_price IS NULL OR limit_price > 0),
    state           text NOT NULL CHECK (state IN ('pending', 'sent', 'accepted',
                                                   'partially_filled', 'filled', 'cancelled',
                                                   'rejected')),
    filled_qty      bigint NOT NULL DEFAULT 0 CHECK (filled_qty >= 0 AND filled_qty <= qty),
    filled_value    bigint NOT NULL DEFAULT 0, -- sum of fill qty x price (price units)
    broker_order_id text,
    reason          text,                      -- why rejected or cancelled
    events          integer NOT NULL DEFAULT 0, -- events recorded (the last one's seq)
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX order_journal_open ON order_journal (broker, account)
    WHERE state IN ('pending', 'sent', 'accepted', 'partially_filled');

CREATE TABLE order_journal_events (
    client_order_id text NOT NULL REFERENCES order_journal ON DELETE CASCADE,
    seq             integer NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('sent', 'accepted', 'rejected', 'fill',
                                                  'cancelled')),
    fill_id         text,
    qty             bigint,
    price           bigint,
    broker_order_id text,
    reason          text,
    at              timestamptz NOT NULL,
    PRIMARY KEY (client_order_id, seq)
);
-- A broker's fill reaches the journal once, however often it is reported.
CREATE UNIQUE INDEX order_journal_events_fill ON order_journal_events (client_order_id, fill_id)
    WHERE fill_id IS NOT NULL;
