/*
 * stom/fixed.h - fixed-point decimal numbers as scaled 64-bit integers.
 *
 * A value with `decimals` digits after the point is stored as
 * value * 10^decimals (KRW prices: 0 decimals, whole won; US prices: 2,
 * cents). Parsing is exact: no double is involved. Digits beyond `decimals`
 * are rounded half away from zero, so "187500.0" parses to 187500 at 0
 * decimals and "100.339996" to 10034 at 2.
 *
 * Thread-safety: pure functions, safe from any thread.
 */
#ifndef STOM_FIXED_H
#define STOM_FIXED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STOM_FIXED_MAX_DECIMALS 12

/* Returns 10^k for 0 <= k <= 18. */
int64_t stom_pow10(int k);

/*
 * Parses the n bytes at s (optional sign, digits, optional point and digits;
 * an exponent such as "1e5" is accepted) into *out at `decimals` places.
 * Returns 0, STOM_EFORMAT when s is not a number, STOM_ERANGE when it does
 * not fit in int64. Borrows s; s need not be NUL-terminated.
 */
int stom_fixed_parse(const char *s, size_t n, int decimals, int64_t *out);

/*
 * Writes v (scaled by `decimals`) as text into buf of size len, always
 * NUL-terminated: "-1,234,567.89" with thousands separators when
 * `thousands`, "-1234567.89" without. Trailing zeros are kept (cents show
 * as .50). Returns the length the full text needs, like snprintf.
 */
size_t stom_fixed_format(int64_t v, int decimals, bool thousands, char *buf, size_t len);

/*
 * a * b / d truncated toward zero, exact for |a| < 2^62, 0 <= b <= 10^9,
 * 0 < d <= 10^9 (the split avoids 128-bit arithmetic so it also builds for
 * 32-bit Windows). Used for fees (amount * rate / rate-scale).
 */
int64_t stom_muldiv_trunc(int64_t a, int64_t b, int64_t d);

#endif
