# cmake/web.cmake - builds the browser UI (web/, TypeScript + Vite) into
# ${CMAKE_BINARY_DIR}/web, which stom-gateway serves on / and /assets
# (STOM_WEB_DIR, services/gateway/CMakeLists.txt).
#
# The target stom_web (part of ALL) runs cmake/web_build.cmake when a file
# the bundle is made from changed: `npm install --no-save` when web/node_modules is missing
# or older than web/package-lock.json, then `npm run typecheck`, then
# `vite build`. Without npm or without web/package.json it only says so:
# the build succeeds and the gateway answers 503 on / saying how to build
# the UI. STOM_WEB=OFF skips it (the default under the sanitizers: the
# browser tests run once, against the Release build).
if(STOM_SANITIZE)
    set(stom_web_default OFF)
else()
    set(stom_web_default ON)
endif()
option(STOM_WEB "Build the browser UI (web/) with npm" ${stom_web_default})

set(STOM_WEB_OUT ${CMAKE_BINARY_DIR}/web)
set(stom_web_src ${CMAKE_SOURCE_DIR}/web)
if(NOT STOM_WEB)
    message(STATUS "STOM_WEB is OFF: the web UI is not built (the gateway answers 503 on /)")
    return()
endif()
# Globbed, not only tested: when web/package.json appears later (a pull), the next build
# configures again and picks the UI up.
file(GLOB stom_web_package CONFIGURE_DEPENDS ${stom_web_src}/package.json)
if(NOT stom_web_package)
    message(STATUS "web/package.json not found: the web UI is not built (the gateway answers 503 on /)")
    return()
endif()
find_program(STOM_NPM npm)
find_program(STOM_NPX npx)
if(NOT STOM_NPM OR NOT STOM_NPX)
    message(STATUS "npm not found: the web UI is not built (the gateway answers 503 on /; "
                   "install Node.js and npm, e.g. with scripts/setup.sh, to build it)")
    return()
endif()

# Everything the bundle is made from; a new file under web/src re-globs at build time.
file(GLOB_RECURSE stom_web_inputs CONFIGURE_DEPENDS ${stom_web_src}/src/* ${stom_web_src}/public/*)
file(GLOB stom_web_top CONFIGURE_DEPENDS ${stom_web_src}/index.html ${stom_web_src}/package.json
     ${stom_web_src}/package-lock.json ${stom_web_src}/vite.config.* ${stom_web_src}/tsconfig*.json)
list(APPEND stom_web_inputs ${stom_web_top})

add_custom_command(
    OUTPUT ${CMAKE_BINARY_DIR}/web.stamp
    COMMAND ${CMAKE_COMMAND} -DWEB=${stom_web_src} -DOUT=${STOM_WEB_OUT} -DNPM=${STOM_NPM}
            -DNPX=${STOM_NPX} -DCI_STAMP=${CMAKE_BINARY_DIR}/web-npm-ci.stamp
            -P ${CMAKE_SOURCE_DIR}/cmake/web_build.cmake
    COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_BINARY_DIR}/web.stamp
    DEPENDS ${stom_web_inputs} ${CMAKE_SOURCE_DIR}/cmake/web_build.cmake
    COMMENT "Building the web UI (npm install when needed, typecheck, vite build) into ${STOM_WEB_OUT}"
    USES_TERMINAL)
add_custom_target(stom_web ALL DEPENDS ${CMAKE_BINARY_DIR}/web.stamp)
