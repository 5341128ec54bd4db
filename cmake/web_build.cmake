# cmake/web_build.cmake - run at build time by the stom_web target
# (cmake -DWEB=src -DOUT=dir -DNPM=npm -DNPX=npx -DCI_STAMP=file -P ...):
# installs web/'s dependencies when needed, type-checks and bundles it.
#
# `npm install --no-save` runs when WEB/node_modules is missing or
# package-lock.json is newer than CI_STAMP (in the build tree), with
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD set: the browser tests use the system's
# Chromium, npm never downloads one. It installs the locked versions and never
# rewrites the lock. Not `npm ci`: a registry mirror without the other
# platforms' optional packages (Rollup's native binaries) leaves them out of
# the lock, and `npm ci` then refuses the lock as out of sync.
# A failing step fails the build with its output shown.
function(web_step what)
    execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WEB} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "web UI: ${what} failed (${rc}); configure with -DSTOM_WEB=OFF to "
                            "build without the UI")
    endif()
endfunction()

if(NOT EXISTS ${WEB}/node_modules OR NOT EXISTS ${CI_STAMP}
   OR ${WEB}/package-lock.json IS_NEWER_THAN ${CI_STAMP})
    set(ENV{PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD} 1)
    web_step("npm install" ${NPM} install --no-save --no-audit --no-fund)
    file(TOUCH ${CI_STAMP})
endif()
web_step("npm run typecheck" ${NPM} run typecheck)
web_step("vite build" ${NPX} --no-install vite build --outDir ${OUT} --emptyOutDir)
