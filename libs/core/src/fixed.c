/*
 * fixed.c - fixed-point decimal parsing and formatting (see stom/fixed.h).
 *
 * Parsing never touches a double. A number is read in two passes: the first
 * checks the syntax and finds the mantissa, the point and the exponent; the
 * second walks the mantissa digits once, keeping every digit whose weight is
 * at least one unit of the target scale and rounding on the first digit it
 * drops. The first dropped digit alone decides half-away-from-zero rounding:
 * 5 or more means the dropped tail is at least one half.
 *
 * Magnitudes are accumulated as uint64 so that INT64_MIN (whose magnitude is
 * 2^63) still parses; the sign is applied last.
 */
#include "stom/fixed.h"

#include <string.h>

#include "stom/error.h"

/* An exponent beyond this is saturated: it already shifts every int64 out. */
#define EXPONENT_CLAMP 100000

static const int64_t POW10[19] = {1,
                                  10,
                                  100,
                                  1000,
                                  10000,
                                  100000,
                                  1000000,
                                  10000000,
                                  100000000,
                                  1000000000,
                                  10000000000,
                                  100000000000,
                                  1000000000000,
                                  10000000000000,
                                  100000000000000,
                                  1000000000000000,
                                  10000000000000000,
                                  100000000000000000,
                                  1000000000000000000};

int64_t stom_pow10(int k)
{
    /* Outside the contract (0..18) there is no int64 answer; 0 makes misuse visible. */
    if (k < 0 || k > 18)
        return 0;
    return POW10[k];
}

/* Where the parts of a syntactically valid number lie. */
typedef struct number_shape {
    bool negative;
    const char *mant;     /* first mantissa byte (digit, point or comma) */
    const char *mant_end; /* one past the last mantissa byte */
    int64_t ndigits;      /* mantissa digits, point and commas excluded */
    int64_t nfrac;        /* of which after the point */
    int64_t exponent;     /* clamped to +-EXPONENT_CLAMP */
} number_shape;

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Thousands separators are accepted only in the integer part and only in
 * groups of three ("1,234,567"); "1,23" or "1,,234" is not a number.
 */
static bool scan_integer_part(const char **pp, const char *end, number_shape *sh)
{
    const char *p = *pp;
    int64_t group = 0;
    bool grouped = false;
    for (; p < end; p++) {
        if (is_digit(*p)) {
            group++;
            sh->ndigits++;
        } else if (*p == ',') {
            if (group == 0 || (grouped && group != 3) || (!grouped && group > 3))
                return false;
            grouped = true;
            group = 0;
        } else {
            break;
        }
    }
    *pp = p;
    return !grouped || group == 3;
}

static bool scan_exponent(const char *p, const char *end, int64_t *exponent)
{
    bool negative = false;
    if (p < end && (*p == '+' || *p == '-'))
        negative = *p++ == '-';
    if (p == end)
        return false;
    int64_t e = 0;
    for (; p < end; p++) {
        if (!is_digit(*p))
            return false;
        if (e < EXPONENT_CLAMP)
            e = e * 10 + (*p - '0');
    }
    if (e > EXPONENT_CLAMP)
        e = EXPONENT_CLAMP;
    *exponent = negative ? -e : e;
    return true;
}

static bool scan_number(const char *s, size_t n, number_shape *sh)
{
    const char *p = s, *end = s + n;
    memset(sh, 0, sizeof *sh);
    if (p < end && (*p == '+' || *p == '-'))
        sh->negative = *p++ == '-';
    sh->mant = p;
    if (!scan_integer_part(&p, end, sh))
        return false;
    if (p < end && *p == '.') {
        for (p++; p < end && is_digit(*p); p++) {
            sh->ndigits++;
            sh->nfrac++;
        }
    }
    sh->mant_end = p;
    if (sh->ndigits == 0)
        return false;
    if (p == end)
        return true;
    if (*p != 'e' && *p != 'E')
        return false;
    return scan_exponent(p + 1, end, &sh->exponent);
}

/* acc = acc * 10 + digit, refusing to pass limit. */
static bool push_digit(uint64_t *acc, int digit, uint64_t limit)
{
    if (*acc > (limit - (uint64_t)digit) / 10)
        return false;
    *acc = *acc * 10 + (uint64_t)digit;
    return true;
}

/*
 * Digit i (0-based over the mantissa digits) has weight
 * 10^(ndigits - 1 - i - nfrac + exponent + decimals) in target units; digits
 * up to index `last_kept` have weight >= 1.
 */
static int scale_magnitude(const number_shape *sh, int decimals, uint64_t limit, uint64_t *out)
{
    int64_t last_kept = sh->ndigits - 1 - sh->nfrac + sh->exponent + decimals;
    uint64_t acc = 0;
    int round_digit = 0;
    int64_t i = 0;
    for (const char *p = sh->mant; p < sh->mant_end; p++) {
        if (!is_digit(*p))
            continue;
        if (i <= last_kept) {
            if (!push_digit(&acc, *p - '0', limit))
                return STOM_ERANGE;
        } else if (i == last_kept + 1) {
            round_digit = *p - '0';
        }
        i++;
    }
    /* Trailing zeros implied by a positive exponent; zero stays zero however large. */
    for (int64_t k = sh->ndigits - 1; k < last_kept && acc != 0; k++)
        if (!push_digit(&acc, 0, limit))
            return STOM_ERANGE;
    if (round_digit >= 5) {
        if (acc == limit)
            return STOM_ERANGE;
        acc++;
    }
    *out = acc;
    return STOM_OK;
}

/*
 * The common case in one pass: [-]digits[.digits] with at most 18
 * significant digits and nothing to round (fraction digits beyond
 * `decimals` must be zeros, as in "186500.0"). False sends the caller to the
 * general path, which gives the same answer for everything accepted here.
 */
static bool parse_simple(const char *s, size_t n, int decimals, int64_t *out)
{
    size_t i = s[0] == '-' ? 1 : 0;
    uint64_t v = 0;
    int ndigits = 0, nfrac = -1;
    for (; i < n; i++) {
        if (is_digit(s[i])) {
            v = v * 10 +
                (uint64_t)(s[i] - '0'); /* wraps harmlessly past 18 digits: refused below */
            ndigits++;
            nfrac += nfrac >= 0;
        } else if (s[i] == '.' && nfrac < 0) {
            nfrac = 0;
        } else {
            return false;
        }
    }
    nfrac = nfrac < 0 ? 0 : nfrac;
    if (ndigits == 0 || ndigits > 18)
        return false;
    if (nfrac > decimals) {
        for (size_t k = n - (size_t)(nfrac - decimals); k < n; k++)
            if (s[k] != '0')
                return false;
        v /= (uint64_t)POW10[nfrac - decimals];
        ndigits -= nfrac - decimals;
        nfrac = decimals;
    }
    if (ndigits + decimals - nfrac > 18)
        return false;
    v *= (uint64_t)POW10[decimals - nfrac];
    *out = s[0] == '-' ? -(int64_t)v : (int64_t)v;
    return true;
}

int stom_fixed_parse(const char *s, size_t n, int decimals, int64_t *out)
{
    if (decimals < 0 || decimals > 18)
        return STOM_EINVAL;
    if (s != NULL && n > 0 && parse_simple(s, n, decimals, out))
        return STOM_OK;
    number_shape sh;
    if (s == NULL || !scan_number(s, n, &sh))
        return STOM_EFORMAT;
    uint64_t limit = sh.negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t mag;
    int rc = scale_magnitude(&sh, decimals, limit, &mag);
    if (rc != STOM_OK)
        return rc;
    if (!sh.negative)
        *out = (int64_t)mag;
    else
        *out = mag == 0 ? 0 : -(int64_t)(mag - 1) - 1;
    return STOM_OK;
}

/* Writes the digits of v into the end of buf, grouping by three when asked. Returns the start. */
static char *put_integer(uint64_t v, bool thousands, char *end)
{
    char *p = end;
    int n = 0;
    do {
        if (thousands && n > 0 && n % 3 == 0)
            *--p = ',';
        *--p = (char)('0' + v % 10);
        v /= 10;
        n++;
    } while (v != 0);
    return p;
}

size_t stom_fixed_format(int64_t v, int decimals, bool thousands, char *buf, size_t len)
{
    /* 20 digits, 6 commas, sign, point and 18 decimals fit comfortably. */
    char text[64];
    char *end = text + sizeof text;
    char *p = end;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 18)
        decimals = 18;
    uint64_t mag = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    uint64_t scale = (uint64_t)POW10[decimals];
    if (decimals > 0) {
        uint64_t frac = mag % scale;
        for (int i = 0; i < decimals; i++, frac /= 10)
            *--p = (char)('0' + frac % 10);
        *--p = '.';
    }
    p = put_integer(mag / scale, thousands, p);
    if (v < 0)
        *--p = '-';
    size_t need = (size_t)(end - p);
    if (len > 0) {
        size_t copy = need < len - 1 ? need : len - 1;
        memcpy(buf, p, copy);
        buf[copy] = '\0';
    }
    return need;
}

int64_t stom_muldiv_trunc(int64_t a, int64_t b, int64_t d)
{
    /*
     * a = q*d + r with |r| < d <= 10^9, so r*b < 10^18 fits; q*b and r*b/d
     * carry the sign of a, so truncating the small term and adding the
     * exact large one truncates the whole toward zero.
     */
    int64_t q = a / d, r = a % d;
    return q * b + r * b / d;
}
