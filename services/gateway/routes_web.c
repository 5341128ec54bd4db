/*
 * routes_web.c - the browser UI: GET / answers the single-page app's
 * index.html and GET /assets/{file} the files its build emitted.
 *
 * The files are the web/ build (vite) in the build tree (STOM_WEB_DIR), or
 * DIR/web under --static-dir. The app routes with the URL's fragment
 * (/#/dashboard), so these two routes are all it needs. Asset names carry a
 * hash of their content, so they are cached for a year; index.html is
 * revalidated on every load so that a new build is picked up at once. The
 * routes are public: the page and its bundle hold no data, and every API
 * call the app makes authenticates. Without a build, / answers 503 with a
 * page saying how to build the UI.
 *
 * Thread-safety: handlers run on workers with their own gw_ctx.
 */
#include <stdio.h>

#include "gw_router.h"
#include "gw_static.h"

#define CACHE_ASSET "public, max-age=31536000, immutable"
#define CSP_WEB                                                                                    \
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "                    \
    "img-src 'self' data: blob:; connect-src 'self' ws: wss:; font-src 'self' data:; "             \
    "frame-ancestors 'none'; base-uri 'none'"

static const char missing_html[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>stom</title>"
    "</head><body><h1>The web UI was not built</h1>"
    "<p>stom-gateway serves the browser UI from the build of web/, made by the build when "
    "Node.js and npm are installed. Install them (<code>scripts/setup.sh</code> does), then "
    "run <code>make build</code> and reload this page. The API answers meanwhile: its "
    "description is at <a href=\"/docs\">/docs</a>.</p></body></html>\n";

/* The UI directory: --static-dir's web, else the build tree's. */
static void web_dir(const gw_config *cfg, char *out, size_t len)
{
#ifdef STOM_WEB_DIR
    gw_static_dir(cfg, "web", STOM_WEB_DIR, out, len);
#else
    gw_static_dir(cfg, "web", "", out, len);
#endif
}

static void index_page(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    char dir[512];
    web_dir(ctx->cfg, dir, sizeof dir);
    if (gw_static_exists(dir, "index.html"))
        gw_static_send(res, dir, "index.html", req->path);
    else
        gw_static_reply_text(res, 503, "text/html; charset=utf-8", missing_html);
    res->cache_control = "no-cache";
    res->csp = CSP_WEB;
}

static void asset(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    char dir[512], assets[600];
    web_dir(ctx->cfg, dir, sizeof dir);
    snprintf(assets, sizeof assets, "%s/assets", dir);
    gw_static_send(res, dir[0] ? assets : "", req->params[0], req->path);
    if (res->status == 200) {
        res->cache_control = CACHE_ASSET;
        res->csp = CSP_WEB;
    }
}

const gw_route gw_routes_web[] = {
    {"GET", "/", index_page, GW_PUBLIC, GW_LIMIT_NONE, "The browser UI's page", NULL},
    {"GET", "/assets/{file}", asset, GW_PUBLIC, GW_LIMIT_NONE,
     "The browser UI's scripts, styles, images and fonts", NULL},
    {NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL, NULL},
};
