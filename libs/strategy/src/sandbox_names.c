/*
 * sandbox_names.c - the sandbox's lists (see sandbox_names.h).
 */
#include "sandbox_names.h"

#define LIST(name, ...)                                                                            \
    static const char *const name##_names[] = {__VA_ARGS__};                                       \
    const stom__name_list name = {name##_names, sizeof name##_names / sizeof name##_names[0]}

LIST(stom__sandbox_withheld, "io", "os", "require", "load", "loadstring", "loadfile", "dofile",
     "debug", "setfenv", "getfenv", "ffi", "jit", "collectgarbage", "rawset", "rawget", "rawequal",
     "rawlen", "setmetatable", "getmetatable", "module", "package", "newproxy", "_G", "coroutine",
     "xpcall", "print", "gcinfo", "bit", "_VERSION", "_ENV", "arg");
LIST(stom__sandbox_functions, "assert", "error", "ipairs", "next", "pairs", "pcall", "select",
     "tonumber", "tostring", "type", "unpack");
LIST(stom__sandbox_string_kept, "byte", "char", "find", "format", "len", "lower", "upper", "rep",
     "reverse", "sub");
LIST(stom__sandbox_table_kept, "concat", "insert", "remove", "sort", "maxn");
