// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The helpers a driver uses during a reset instead of reading scheduler
 * internals: drm_sched_is_stopped(), drm_sched_for_each_pending_job() and
 * drm_sched_job_is_signaled().
 */

#include <kunit/test.h>

#include "sched_tests.h"

/* Two entities feeding the fixture's scheduler, and three jobs on the hardware. */
struct pending_world {
	struct drm_mock_sched_entity *a, *b;
	struct drm_mock_sched_job *a1, *b1, *a2;
};

static void pending_world_start(struct kunit *test, struct pending_world *w)
{
	struct drm_mock_sched_fixture *fx = test->priv;

	w->a = fx->entity;
	w->b = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, fx->sched);

	/* One at a time, so the hardware receives them in this order. */
	w->a1 = drm_mock_sched_job_new(test, w->a);
	drm_mock_sched_job_submit(w->a1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 1, DRM_MOCK_WAIT));
	w->b1 = drm_mock_sched_job_new(test, w->b);
	drm_mock_sched_job_submit(w->b1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 2, DRM_MOCK_WAIT));
	w->a2 = drm_mock_sched_job_new(test, w->a);
	drm_mock_sched_job_submit(w->a2);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 3, DRM_MOCK_WAIT));
}

/* Lets the three jobs finish and be freed. */
static void pending_world_finish(struct kunit *test, struct pending_world *w)
{
	struct drm_mock_sched_fixture *fx = test->priv;

	drm_sched_wqueue_start(&fx->sched->base);
	drm_mock_sched_advance(fx->sched, 3);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_wait_frees(fx->sched, 3, DRM_MOCK_WAIT));
}

/* drm_sched_is_stopped() follows drm_sched_wqueue_stop() and _start(). */
static void drm_sched_pending_is_stopped(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_gpu_scheduler *sched = &fx->sched->base;

	KUNIT_EXPECT_FALSE(test, drm_sched_is_stopped(sched));
	drm_sched_wqueue_stop(sched);
	KUNIT_EXPECT_TRUE(test, drm_sched_is_stopped(sched));
	drm_sched_wqueue_start(sched);
	KUNIT_EXPECT_FALSE(test, drm_sched_is_stopped(sched));
}

/*
 * The walk visits every job on the hardware oldest first; with an entity
 * it visits that entity's jobs only, in the same order.
 */
static void drm_sched_pending_walk_order_and_filter(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_gpu_scheduler *sched = &fx->sched->base;
	struct drm_sched_job *seen[4], *job;
	struct pending_world w;
	unsigned int n;

	pending_world_start(test, &w);
	drm_sched_wqueue_stop(sched);

	n = 0;
	drm_sched_for_each_pending_job(job, sched, NULL)
		if (n < ARRAY_SIZE(seen))
			seen[n++] = job;
	KUNIT_ASSERT_EQ(test, n, 3);
	KUNIT_EXPECT_PTR_EQ(test, seen[0], &w.a1->base);
	KUNIT_EXPECT_PTR_EQ(test, seen[1], &w.b1->base);
	KUNIT_EXPECT_PTR_EQ(test, seen[2], &w.a2->base);

	n = 0;
	drm_sched_for_each_pending_job(job, sched, &w.a->base)
		if (n < ARRAY_SIZE(seen))
			seen[n++] = job;
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_PTR_EQ(test, seen[0], &w.a1->base);
	KUNIT_EXPECT_PTR_EQ(test, seen[1], &w.a2->base);

	n = 0;
	drm_sched_for_each_pending_job(job, sched, &w.b->base)
		if (n < ARRAY_SIZE(seen))
			seen[n++] = job;
	KUNIT_ASSERT_EQ(test, n, 1);
	KUNIT_EXPECT_PTR_EQ(test, seen[0], &w.b1->base);

	pending_world_finish(test, &w);
}

/* An idle scheduler's walk visits nothing. */
static void drm_sched_pending_walk_empty(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_gpu_scheduler *sched = &fx->sched->base;
	struct drm_sched_job *job;
	unsigned int n = 0;

	drm_sched_wqueue_stop(sched);
	drm_sched_for_each_pending_job(job, sched, NULL)
		n++;
	drm_sched_wqueue_start(sched);
	KUNIT_EXPECT_EQ(test, n, 0);
}

/*
 * With the workers stopped, a job the hardware finished stays on the list
 * and reads as signalled; the jobs behind it do not.
 */
static void drm_sched_pending_job_is_signaled(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_gpu_scheduler *sched = &fx->sched->base;
	struct drm_sched_job *job;
	struct pending_world w;
	unsigned int n = 0, done = 0;

	pending_world_start(test, &w);
	drm_sched_wqueue_stop(sched);
	KUNIT_ASSERT_EQ(test, drm_mock_sched_advance(fx->sched, 1), 1);

	drm_sched_for_each_pending_job(job, sched, NULL) {
		n++;
		if (drm_sched_job_is_signaled(job))
			done++;
	}
	KUNIT_EXPECT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, done, 1);
	KUNIT_EXPECT_TRUE(test, drm_sched_job_is_signaled(&w.a1->base));
	KUNIT_EXPECT_FALSE(test, drm_sched_job_is_signaled(&w.b1->base));
	KUNIT_EXPECT_FALSE(test, drm_sched_job_is_signaled(&w.a2->base));

	pending_world_finish(test, &w);
}

/*
 * Walking a running scheduler is a driver bug and warns, and so does asking
 * a job's state then; both still answer.
 */
static void drm_sched_pending_running_warns(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_gpu_scheduler *sched = &fx->sched->base;
	struct drm_sched_job *job;
	struct pending_world w;
	unsigned int n = 0;

	pending_world_start(test, &w);

	kunit_info(test, "KUNIT-EXPECT-WARN: pending walk on a running scheduler\n");
	drm_sched_for_each_pending_job(job, sched, &w.b->base)
		n++;
	KUNIT_EXPECT_EQ(test, n, 1);

	kunit_info(test, "KUNIT-EXPECT-WARN: job state read on a running scheduler\n");
	KUNIT_EXPECT_FALSE(test, drm_sched_job_is_signaled(&w.b1->base));

	drm_sched_wqueue_stop(sched);
	pending_world_finish(test, &w);
}

static struct kunit_case drm_sched_pending_cases[] = {
	KUNIT_CASE(drm_sched_pending_is_stopped),
	KUNIT_CASE(drm_sched_pending_walk_order_and_filter),
	KUNIT_CASE(drm_sched_pending_walk_empty),
	KUNIT_CASE(drm_sched_pending_job_is_signaled),
	KUNIT_CASE(drm_sched_pending_running_warns),
	{}
};

static struct kunit_suite drm_sched_pending_suite = {
	.name = "drm_sched_pending",
	.init = drm_mock_sched_fixture_init,
	.test_cases = drm_sched_pending_cases,
};

kunit_test_suite(drm_sched_pending_suite);
