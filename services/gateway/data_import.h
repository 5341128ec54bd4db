/*
 * data_import.h - POST /api/v1/data/import?symbol&timeframe&market: a CSV
 * file of bars as the request body, stored as `stom data import` stores a
 * file.
 *
 * The whole body is parsed first (stom_bars_parse_csv, the formats of
 * docs/data-formats.md): a malformed file is a 400 whose fields.file names
 * the line, and nothing is stored. The bars then go in one transaction
 * (stom_store_import_bars); bars already stored are kept and counted. The
 * HTTP core bounds the body (64 MiB); an empty body is a 400 here.
 *
 * Thread-safety: a handler; runs on a worker with that worker's gw_ctx.
 */
#ifndef STOM_GW_DATA_IMPORT_H
#define STOM_GW_DATA_IMPORT_H

#include "gw.h"

/* 201 {symbol, timeframe, market, rows, added, existing, skipped_halt}. */
void gw_data_import_handler(gw_ctx *ctx, gw_request *req, gw_response *res);

#endif
