/* libm_nudge: an LD_PRELOAD library that moves the result of every libm
 * transcendental function by one unit in the last place, for the perturbed
 * pass of `tools/generate_fixtures.py --check` (hinge_fixtures/perturb.py
 * compiles it into a temporary folder and preloads it into a child process).
 *
 * Why: libm's exp, log, pow, sin, ... are not correctly rounded, and their last
 * bits differ between libraries, versions and CPUs (glibc picks FMA variants at
 * run time). Fixture inputs must not depend on them. The Python wrappers in
 * perturb.py catch calls written as np.exp(...) or math.pow(...); this library
 * catches what Python code cannot see: NumPy's random distributions (the
 * ziggurat's tail and wedge of standard_normal call log1p and exp), NumPy's
 * scalar ufunc loops (array ** array, once the child disables NumPy's SIMD
 * dispatch), and CPython's own float ** float and constant folding.
 *
 * HINGE_NUDGE_DIRECTION=down moves results towards -inf, anything else towards
 * +inf. Non-finite results are left alone. Each wrapper finds the real function
 * with dlsym(RTLD_NEXT) on its first call.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int nudge_down = -1;

static int down(void) {
    if (nudge_down < 0) {
        const char *d = getenv("HINGE_NUDGE_DIRECTION");
        nudge_down = d != NULL && strcmp(d, "down") == 0;
    }
    return nudge_down;
}

/* errno is kept as the real function left it: nextafter sets ERANGE when it lands on a
 * subnormal, which CPython would turn into an OverflowError that libm never raised. */
#define NUDGE_BODY(NEXT)                                         \
    if (!isfinite(y)) return y;                                  \
    int saved = errno;                                           \
    y = NEXT(y, down() ? -INFINITY : INFINITY);                  \
    errno = saved;                                               \
    return y;
static double nudge(double y) { NUDGE_BODY(nextafter) }
static float nudgef(float y) { NUDGE_BODY(nextafterf) }
static long double nudgel(long double y) { NUDGE_BODY(nextafterl) }

static void *real(const char *name) {
    void *f = dlsym(RTLD_NEXT, name);
    if (f == NULL) abort(); /* a libm without the function: nothing sensible to return */
    return f;
}

#define UNARY(T, NUDGE, name)                                    \
    T name(T x) {                                                \
        static T (*f)(T);                                        \
        if (f == NULL) f = (T(*)(T))real(#name);                 \
        return NUDGE(f(x));                                      \
    }
#define BINARY(T, NUDGE, name)                                   \
    T name(T x, T y) {                                           \
        static T (*f)(T, T);                                     \
        if (f == NULL) f = (T(*)(T, T))real(#name);              \
        return NUDGE(f(x, y));                                   \
    }
#define ALL_TYPES(KIND, name) KIND(double, nudge, name) KIND(float, nudgef, name##f) KIND(long double, nudgel, name##l)

ALL_TYPES(UNARY, exp)
ALL_TYPES(UNARY, exp2)
ALL_TYPES(UNARY, exp10)
ALL_TYPES(UNARY, expm1)
ALL_TYPES(UNARY, log)
ALL_TYPES(UNARY, log2)
ALL_TYPES(UNARY, log10)
ALL_TYPES(UNARY, log1p)
ALL_TYPES(UNARY, sin)
ALL_TYPES(UNARY, cos)
ALL_TYPES(UNARY, tan)
ALL_TYPES(UNARY, asin)
ALL_TYPES(UNARY, acos)
ALL_TYPES(UNARY, atan)
ALL_TYPES(UNARY, sinh)
ALL_TYPES(UNARY, cosh)
ALL_TYPES(UNARY, tanh)
ALL_TYPES(UNARY, asinh)
ALL_TYPES(UNARY, acosh)
ALL_TYPES(UNARY, atanh)
ALL_TYPES(UNARY, cbrt)
ALL_TYPES(UNARY, erf)
ALL_TYPES(UNARY, erfc)
ALL_TYPES(UNARY, lgamma)
ALL_TYPES(UNARY, tgamma)
ALL_TYPES(BINARY, pow)
ALL_TYPES(BINARY, atan2)
ALL_TYPES(BINARY, hypot)

#define SINCOS(T, NUDGE, name)                                   \
    void name(T x, T *s, T *c) {                                 \
        static void (*f)(T, T *, T *);                           \
        if (f == NULL) f = (void (*)(T, T *, T *))real(#name);   \
        f(x, s, c);                                              \
        *s = NUDGE(*s);                                          \
        *c = NUDGE(*c);                                          \
    }
SINCOS(double, nudge, sincos)
SINCOS(float, nudgef, sincosf)
SINCOS(long double, nudgel, sincosl)
