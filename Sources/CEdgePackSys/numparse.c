// Decimal parsing for PCD ascii data. glibc's strtod/strtof are correctly rounded on every
// architecture; the "C" locale pins the decimal point whatever the process locale is.
#define _GNU_SOURCE
#include "edgepack_sys.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static locale_t ep_c_locale(void) {
    static locale_t cached = (locale_t)0;
    locale_t current = __atomic_load_n(&cached, __ATOMIC_ACQUIRE);
    if (current) return current;
    locale_t made = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t expected = (locale_t)0;
    if (!__atomic_compare_exchange_n(&cached, &expected, made, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        freelocale(made);
        return expected;
    }
    return made;
}

size_t ep_parse_double(const char *text, size_t length, double *value) {
    char buffer[512];
    if (length == 0 || length >= sizeof buffer) return 0;
    memcpy(buffer, text, length);
    buffer[length] = 0;
    char *end = buffer;
    *value = strtod_l(buffer, &end, ep_c_locale());
    return (size_t)(end - buffer);
}

size_t ep_parse_float(const char *text, size_t length, float *value) {
    char buffer[512];
    if (length == 0 || length >= sizeof buffer) return 0;
    memcpy(buffer, text, length);
    buffer[length] = 0;
    char *end = buffer;
    *value = strtof_l(buffer, &end, ep_c_locale());
    return (size_t)(end - buffer);
}
