/*
 * fixed.c - fixed-point decimal parsing and formatting (see stom/fixed.h).
 */
#include "stom/fixed.h"

int64_t stom_pow10(int k)
{
    int64_t v = 1;
    while (k-- > 0)
        v *= 10;
    return v;
}
