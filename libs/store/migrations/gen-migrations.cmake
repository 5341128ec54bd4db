# gen-migrations.cmake - embeds the SQL migrations in the store library.
#
#   cmake "-DIN=0001_a.sql|0002_b.sql" -DOUT=store_migrations.inc -P gen-migrations.cmake
#
# IN is the list of migration files separated by `|`. Each file becomes a
# NUL-terminated unsigned char array (so UTF-8 text such as Korean comments
# embeds as is; bytes rather than a string literal: a long migration would
# exceed the length ISO C promises for literals, which -Wpedantic refuses) and one row of the MIGRATIONS table that
# src/migrate.c includes. A file name must be NNNN_name.sql with a unique
# version above 0; versions must increase with the names; a file must not be
# empty nor open or close its own transaction (the runner wraps each
# migration in one). Any violation stops the build naming the file.
if(NOT DEFINED IN OR NOT DEFINED OUT)
    message(FATAL_ERROR "usage: cmake -DIN=<a.sql|b.sql> -DOUT=<inc> -P gen-migrations.cmake")
endif()

string(REPLACE "|" ";" files "${IN}")
list(SORT files)
string(REPEAT "[0-9a-f]" 32 sixteen_bytes)

set(arrays "")
set(rows "")
set(previous 0)
foreach(path IN LISTS files)
    get_filename_component(name "${path}" NAME)
    if(NOT name MATCHES "^([0-9][0-9][0-9][0-9])_[a-z0-9_]+\\.sql$")
        message(FATAL_ERROR "${path}: a migration is named NNNN_name.sql (lower-case name)")
    endif()
    set(digits "${CMAKE_MATCH_1}")
    math(EXPR version "1${digits} - 10000")
    if(version LESS_EQUAL previous)
        message(FATAL_ERROR "${path}: version ${version} is not above the previous one (${previous})")
    endif()
    set(previous ${version})

    file(READ "${path}" text)
    if(text MATCHES "(^|\n)[ \t]*(BEGIN|begin|COMMIT|commit|START TRANSACTION|start transaction)[ \t]*;")
        message(FATAL_ERROR "${path}: a migration must not BEGIN or COMMIT itself (the runner "
                            "applies each one in its own transaction)")
    endif()
    file(READ "${path}" hex HEX)
    if(hex STREQUAL "")
        message(FATAL_ERROR "${path}: empty migration")
    endif()
    string(REGEX REPLACE "(${sixteen_bytes})" "\\1\n    " hex "${hex}")
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
    string(APPEND arrays "/* ${name} */\nstatic const unsigned char migration_${digits}[] = {\n    ${hex}0x00};\n\n")
    string(APPEND rows "    {${version}, \"${name}\", (const char *)migration_${digits}},\n")
endforeach()
if(previous EQUAL 0)
    message(FATAL_ERROR "no migrations in libs/store/migrations")
endif()

set(content "/* Generated from libs/store/migrations by gen-migrations.cmake: do not edit. */\n\n")
string(APPEND content "${arrays}static const stom_migration MIGRATIONS[] = {\n${rows}};\n")
file(WRITE "${OUT}" "${content}")
