/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the benchmark suites share: the median of repeated measurements
 * and the one line per result that 'make bench' reads,
 *
 *   bench <workload> n=<N> ns=<ns per op> [extra=value ...]
 */
#ifndef DRM_BENCH_H
#define DRM_BENCH_H

#include <linux/sort.h>
#include <linux/types.h>

#include <kunit/test.h>

static inline int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Sorts @v in place and returns its median. */
static inline u64 bench_median(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), bench_cmp_u64, NULL);
	return v[n / 2];
}

static inline void bench_report(struct kunit *test, const char *workload,
				unsigned int n, u64 ns_per_op, const char *extra)
{
	kunit_info(test, "bench %s n=%u ns=%llu%s%s\n", workload, n, ns_per_op,
		   extra ? " " : "", extra ?: "");
}

#endif /* DRM_BENCH_H */
