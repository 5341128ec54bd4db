-- 0001_bars.sql - instruments and their OHLCV bars.
--
-- Money is never a float: prices are integers in the instrument's price
-- units (price * 10^price_decimals), volumes in its quantity units. A bar's
-- ts is the UTC second its interval starts. The primary key makes a bar
-- unique per (symbol, timeframe, ts), so re-importing a file adds nothing,
-- and it is also the index every range load walks in ts order.
--
-- bars.symbol has no foreign key to instruments on purpose: the per-row
-- check of a foreign key made a bulk import of a million bars four times
-- slower. stom_store_import_bars writes the instrument row in the same
-- transaction as its bars, and nothing else writes bars.

CREATE TABLE instruments (
    symbol         text     PRIMARY KEY CHECK (symbol ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,30}$'),
    market         text     NOT NULL CHECK (market IN ('krx', 'us', 'crypto')),
    board          text     NOT NULL
                            CHECK (board IN ('KOSPI', 'KOSDAQ', 'KONEX', 'ETF', 'ETN', 'NONE')),
    price_decimals smallint NOT NULL CHECK (price_decimals BETWEEN 0 AND 12),
    qty_decimals   smallint NOT NULL CHECK (qty_decimals BETWEEN 0 AND 12),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (market = 'krx' OR board = 'NONE')
);

CREATE TABLE bars (
    symbol    text   NOT NULL,
    timeframe text   NOT NULL CHECK (timeframe IN ('1s', '1m', '1d')),
    ts        bigint NOT NULL,
    open      bigint NOT NULL,
    high      bigint NOT NULL,
    low       bigint NOT NULL,
    close     bigint NOT NULL,
    volume    bigint NOT NULL,
    PRIMARY KEY (symbol, timeframe, ts),
    CHECK (0 <= low AND low <= open AND open <= high AND low <= close AND close <= high),
    CHECK (volume >= 0)
);
