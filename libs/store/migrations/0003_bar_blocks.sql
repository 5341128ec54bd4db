-- 0003_bar_blocks.sql - bars stored as blocks: one row per (symbol,
-- timeframe, time block) holding that block's bars packed in a bytea.
--
-- One row per bar cost a loader an index scan and a COPY of a million rows
-- (0.5-0.85 s for a million one-minute bars); a block row carries a day
-- of minute bars, so the same load reads about 2,600 rows.
--
-- Blocks. A block covers span seconds of UTC time, by timeframe:
--   1s -> 3600 (an hour), 1m -> 86400 (a day), 1d -> 88473600 (1024 days).
-- block_start = floor(ts / span) * span (floor, also for ts before 1970), so
-- every block_start is a multiple of span and a bar belongs to exactly one
-- block. first_ts and last_ts are the block's first and last bar, n its
-- number of bars (at least one: an empty block is no row).
--
-- data layout, n bars: six columns one after another, each n big-endian
-- signed 64-bit integers in ts order:
--   ts[n] open[n] high[n] low[n] close[n] volume[n]
-- so bar k's column c is the 8 bytes at offset 8 * (c * n + k). These are
-- the bytes int8send() gives, so SQL can build a block (string_agg of
-- int8send, as below) and read one back:
--   ('x' || encode(substring(data FROM 8 * (c * n + k) + 1 FOR 8), 'hex'))::bit(64)::bigint
-- Values keep the meaning they had in bars: ts is the UTC second the bar
-- starts, prices are integers in the instrument's price units, volume in
-- its quantity units; 0 <= low <= open, close <= high and volume >= 0 are
-- checked by stom_store_import_bars before a block is written (a CHECK
-- cannot see inside the bytea cheaply).
--
-- data is stored EXTERNAL: out of line, uncompressed. Minute blocks are
-- about 18 kB; lz4 shrank them to about 40% but made a full load some 15%
-- slower, as the server decompresses before it sends (docs/storage.md has
-- the figures). Uncompressed values also let substring() read part of a
-- block without fetching all of it.
--
-- ts must be at least -2^62 (some 146 billion years before 1970) so that
-- a block's start is always representable; the import refuses earlier bars.
--
-- Upgrade: the rows of bars, if any, are converted into blocks here and
-- bars is dropped, in the one transaction the migration runner gives this
-- file: a failure leaves bars as it was.

-- Not STRICT: a plain SQL CASE is then inlined into the queries that call
-- it (as a STRICT function it was not, and the conversion below took 8 s
-- per million bars instead of 2.6 s).
CREATE FUNCTION bar_block_span(timeframe text) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE timeframe WHEN '1s' THEN 3600 WHEN '1m' THEN 86400
                                WHEN '1d' THEN 88473600 END::bigint $$;

CREATE TABLE bar_blocks (
    symbol      text    NOT NULL,
    timeframe   text    NOT NULL CHECK (timeframe IN ('1s', '1m', '1d')),
    block_start bigint  NOT NULL,
    first_ts    bigint  NOT NULL,
    last_ts     bigint  NOT NULL,
    n           integer NOT NULL CHECK (n >= 1),
    data        bytea   NOT NULL,
    PRIMARY KEY (symbol, timeframe, block_start),
    CHECK (octet_length(data) = 48 * n),
    CHECK (block_start % bar_block_span(timeframe) = 0),
    -- written as differences so that no sum can overflow bigint
    CHECK (first_ts >= -4611686018427387904 AND block_start <= first_ts AND first_ts <= last_ts
           AND last_ts - block_start < bar_block_span(timeframe)),
    CHECK (n = 1 OR first_ts < last_ts)
);
ALTER TABLE bar_blocks ALTER COLUMN data SET STORAGE EXTERNAL;

INSERT INTO bar_blocks (symbol, timeframe, block_start, first_ts, last_ts, n, data)
SELECT symbol, timeframe, block_start, min(ts), max(ts), count(*),
       string_agg(int8send(ts), ''::bytea ORDER BY ts)
           || string_agg(int8send(open), ''::bytea ORDER BY ts)
           || string_agg(int8send(high), ''::bytea ORDER BY ts)
           || string_agg(int8send(low), ''::bytea ORDER BY ts)
           || string_agg(int8send(close), ''::bytea ORDER BY ts)
           || string_agg(int8send(volume), ''::bytea ORDER BY ts)
FROM (SELECT bars.*,
             ts - ((ts % bar_block_span(timeframe)) + bar_block_span(timeframe))
                  % bar_block_span(timeframe) AS block_start
      FROM bars) AS b
GROUP BY symbol, timeframe, block_start;

DROP TABLE bars;
