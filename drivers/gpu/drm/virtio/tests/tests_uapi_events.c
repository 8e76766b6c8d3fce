// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_events: the fence events of polled rings,
 * read through the file's read op.
 */

#include <kunit/test.h>

#include "vgpu_uapi.h"

/**
 * struct e_case - jobs per ring and which rings are polled
 * @desc: its name
 * @num_rings: rings of the context
 * @poll: POLL_RINGS_MASK
 * @jobs: jobs submitted on rings 0..3
 * @global: jobs submitted on the global timeline
 */
struct e_case {
	const char *desc;
	u32 num_rings;
	u64 poll;
	u32 jobs[4];
	u32 global;
};

static const struct e_case e_cases[] = {
	{ "ring0-polled-3-jobs-ring1-2", 2, BIT(0), { 3, 2 }, 0 },
	{ "ring1-polled-only-ring0-used", 2, BIT(1), { 2, 0 }, 0 },
	{ "no-poll", 2, 0, { 1, 1 }, 0 },
	{ "all-polled", 4, 0xf, { 1, 2, 3, 1 }, 0 },
	{ "global-never-polled", 1, BIT(0), { 0 }, 3 },
	{ "ring63-polled", 64, BIT_ULL(63), { 1 }, 0 },
};

KUNIT_ARRAY_PARAM_DESC(e_cases, e_cases, desc);

/*
 * POLL_RINGS_MASK: each signalled job of a polled ring sends exactly one
 * VIRTGPU_EVENT_FENCE_SIGNALED event, read with the file's read op; jobs
 * of other rings and of the global timeline send none, and nothing is
 * readable before the host completes.
 */
static void virtio_gpu_events_one_per_polled_job(struct kunit *test)
{
	const struct e_case *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct dma_fence *last[5] = {};
	unsigned int n, want = 0, total = 0;
	u32 r, j;
	struct vu_exec x;

	vu_rings(u, f, p->num_rings, p->poll);
	for (r = 0; r < 4 && r < p->num_rings; r++)
		vu_hold_ring(u, f, r);
	vu_hold_ring(u, f, p->num_rings - 1);
	vgpu_fake_host_hold(u->t->host, VGPU_FAKE_GLOBAL);
	for (r = 0; r < 4; r++) {
		for (j = 0; j < p->jobs[r]; j++) {
			u32 ring = p->num_rings == 64 ? 63 : r;

			KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, ring, NULL, 0, &x), 0);
			last[r] = vu_out_fence(u, &x);
			total++;
			if (p->poll & BIT_ULL(ring))
				want++;
		}
	}
	for (j = 0; j < p->global; j++) {
		vu_exec_init(&x);
		KUNIT_ASSERT_EQ(test, vu_submit(u, f, &x), 0);
		last[4] = vu_out_fence(u, &x);
		total++;
	}
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, total));
	KUNIT_ASSERT_EQ(test, vu_read_events(u, f, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 0);

	for (r = 0; r < 4 && r < p->num_rings; r++)
		vu_complete_ring(u, f, r, vu_ring_last(u, f, r));
	vu_complete_ring(u, f, p->num_rings - 1, vu_ring_last(u, f, p->num_rings - 1));
	vgt_release(u->t, VGPU_FAKE_GLOBAL);
	for (r = 0; r < 5; r++)
		if (last[r])
			KUNIT_ASSERT_TRUE(test, vu_fence_wait(last[r]));
	KUNIT_ASSERT_EQ(test, vu_read_events(u, f, &n), 0);
	KUNIT_EXPECT_EQ(test, n, want);
	KUNIT_ASSERT_EQ(test, vu_read_events(u, f, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 0);
}

/* Events are per file: another file's polled ring sends this one nothing. */
static void virtio_gpu_events_per_file(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u), *g = vu_open(u);
	unsigned int n;
	struct vu_exec x;

	vu_rings(u, f, 1, 1);
	vu_rings(u, g, 1, 1);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, g, 0, NULL, 0, &x), 0);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(vu_out_fence(u, &x)));
	KUNIT_ASSERT_EQ(test, vu_read_events(u, f, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 0);
	KUNIT_ASSERT_EQ(test, vu_read_events(u, g, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1);
}

/* One event per job, as each completes, not one per completion batch. */
static void virtio_gpu_events_as_each_job_completes(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct dma_fence *out[2];
	unsigned int n;
	struct vu_exec x;
	u64 first;

	vu_rings(u, f, 1, 1);
	vu_hold_ring(u, f, 0);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, 0, NULL, 0, &x), 0);
	out[0] = vu_out_fence(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	first = vu_ring_last(u, f, 0);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, 0, NULL, 0, &x), 0);
	out[1] = vu_out_fence(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));

	vu_complete_ring(u, f, 0, first);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out[0]));
	KUNIT_ASSERT_EQ(test, vu_read_events(u, f, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out[1]));
	vu_complete_ring(u, f, 0, vu_ring_last(u, f, 0));
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out[1]));
	KUNIT_ASSERT_EQ(test, vu_read_events(u, f, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1);
}

static struct kunit_case e_test_cases[] = {
	KUNIT_CASE_PARAM(virtio_gpu_events_one_per_polled_job, e_cases_gen_params),
	KUNIT_CASE(virtio_gpu_events_per_file),
	KUNIT_CASE(virtio_gpu_events_as_each_job_completes),
	{}
};

VGPU_FAKE_SUITES(e_suite, "virtio_gpu_uapi_events", e_test_cases);
