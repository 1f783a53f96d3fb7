#pragma once
static inline void hl_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }
