# fetch_swagger_ui.cmake - run at build time (cmake -DOUT=dir -P ...):
# fetches the npm package swagger-ui-dist@5 into OUT for the gateway's /docs.
# Optional: without npm or the network it says so and succeeds, and /docs
# then answers 503 with a page explaining why.
if(EXISTS ${OUT}/swagger-ui-bundle.js)
    return()
endif()
find_program(NPM npm)
if(NOT NPM)
    message(STATUS "npm not found: /docs will answer 503 (Swagger UI not fetched)")
    return()
endif()
set(work ${OUT}.fetch)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})
execute_process(COMMAND ${NPM} pack swagger-ui-dist@5 --silent --fetch-retries=1
                        --fetch-timeout=30000 --pack-destination ${work}
                WORKING_DIRECTORY ${work} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET
                TIMEOUT 180)
file(GLOB tarballs ${work}/swagger-ui-dist-*.tgz)
if(NOT rc EQUAL 0 OR NOT tarballs)
    message(STATUS "npm pack swagger-ui-dist@5 failed (${rc}): /docs will answer 503")
    file(REMOVE_RECURSE ${work})
    return()
endif()
list(GET tarballs 0 tarball)
file(ARCHIVE_EXTRACT INPUT ${tarball} DESTINATION ${work})
file(REMOVE_RECURSE ${OUT})
file(RENAME ${work}/package ${OUT})
file(REMOVE_RECURSE ${work})
message(STATUS "Swagger UI fetched into ${OUT}")
