# gen-krx-holidays.cmake - turns krx-holidays.tsv into C initialiser rows.
#
#   cmake -DIN=krx-holidays.tsv -DOUT=krx_holidays.inc -P gen-krx-holidays.cmake
#
# Writes one `{YYYYMMDD, "name"},` row per data line; krx_calendar.c includes
# the result inside its table. Every data line is checked (date shape, month
# and day ranges, strictly increasing dates, a name without characters that
# would break the CMake list or the C string); a bad line stops the build
# with its line number.
if(NOT DEFINED IN OR NOT DEFINED OUT)
    message(FATAL_ERROR "usage: cmake -DIN=<tsv> -DOUT=<inc> -P gen-krx-holidays.cmake")
endif()

# Reading the whole file and splitting it ourselves keeps line numbers for
# the error messages. `;`, `[` and `]` would split or join list elements,
# so they are swapped for placeholders first (which no name may contain).
file(READ "${IN}" text)
string(REPLACE ";" "<semicolon>" text "${text}")
string(REPLACE "[" "<lbracket>" text "${text}")
string(REPLACE "]" "<rbracket>" text "${text}")
string(REPLACE "\r" "" text "${text}")
string(REPLACE "\n" ";" lines "${text}")

set(rows "")
set(count 0)
set(previous 0)
set(number 0)
foreach(line IN LISTS lines)
    math(EXPR number "${number} + 1")
    string(STRIP "${line}" stripped)
    if(stripped STREQUAL "" OR stripped MATCHES "^#")
        continue()
    endif()
    if(NOT line MATCHES "^([0-9][0-9][0-9][0-9])-([0-9][0-9])-([0-9][0-9])\t([^\t\"\\\\<>]+)$")
        message(FATAL_ERROR "${IN}:${number}: expected YYYY-MM-DD<TAB>name, got: ${line}")
    endif()
    set(year "${CMAKE_MATCH_1}")
    set(month "${CMAKE_MATCH_2}")
    set(day "${CMAKE_MATCH_3}")
    string(STRIP "${CMAKE_MATCH_4}" name)
    if(month LESS 1 OR month GREATER 12 OR day LESS 1 OR day GREATER 31)
        message(FATAL_ERROR "${IN}:${number}: no such date: ${year}-${month}-${day}")
    endif()
    set(date "${year}${month}${day}")
    if(NOT date GREATER previous)
        message(FATAL_ERROR "${IN}:${number}: dates must be strictly increasing")
    endif()
    set(previous "${date}")
    string(APPEND rows "    {${date}, \"${name}\"},\n")
    math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
    message(FATAL_ERROR "${IN}: no holidays")
endif()

file(WRITE "${OUT}"
     "/* Generated from krx-holidays.tsv by gen-krx-holidays.cmake: do not edit. */\n${rows}")
