// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Entities spread over several schedulers: load scores,
 * drm_sched_pick_best() and drm_sched_entity_modify_sched().
 */

#include <kunit/test.h>

#include "sched_tests.h"

#define NSCHED 3

/* What every case of the suite starts from, in test->priv. */
struct multi_fixture {
	struct drm_mock_scheduler *sched[NSCHED];
	atomic_t *score[NSCHED];
	struct drm_gpu_scheduler **list;
};

/*
 * Suite init: three schedulers, each with a score counter of its own, and
 * no entity; the cases make the entities they need. Everything is torn
 * down by the mock constructors' actions, after the case's own objects.
 */
static int multi_suite_init(struct kunit *test)
{
	struct multi_fixture *fx;
	unsigned int i;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->list = kunit_kcalloc(test, NSCHED, sizeof(*fx->list), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx->list);
	for (i = 0; i < NSCHED; i++) {
		struct drm_mock_sched_params params = {};

		fx->score[i] = kunit_kzalloc(test, sizeof(atomic_t), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, fx->score[i]);
		params.score = fx->score[i];
		fx->sched[i] = drm_mock_sched_new_params(test, &params);
		fx->list[i] = &fx->sched[i]->base;
	}
	test->priv = fx;
	return 0;
}

struct best_case {
	const char *desc;
	int scores[NSCHED];
	int expected;
};

static const struct best_case best_cases[] = {
	{ "first-lowest", { 0, 4, 9 }, 0 },
	{ "middle-lowest", { 5, 1, 3 }, 1 },
	{ "last-lowest", { 7, 7, 2 }, 2 },
	{ "all-equal", { 3, 3, 3 }, -1 },
};

KUNIT_ARRAY_PARAM_DESC(best, best_cases, desc);

/* drm_sched_pick_best() returns the ready scheduler with the lowest score. */
static void drm_sched_entity_pick_best(struct kunit *test)
{
	const struct best_case *p = test->param_value;
	struct multi_fixture *fx = test->priv;
	struct drm_gpu_scheduler *best;
	unsigned int i;

	for (i = 0; i < NSCHED; i++)
		atomic_set(fx->score[i], p->scores[i]);

	best = drm_sched_pick_best(fx->list, NSCHED);
	KUNIT_ASSERT_NOT_NULL(test, best);
	if (p->expected >= 0)
		KUNIT_EXPECT_PTR_EQ(test, best, fx->list[p->expected]);
	else
		KUNIT_EXPECT_EQ(test, atomic_read(best->score), p->scores[0]);

	for (i = 0; i < NSCHED; i++)
		atomic_set(fx->score[i], 0);
}

/* A scheduler that is not ready is skipped even if it has the lowest score. */
static void drm_sched_entity_pick_best_skips_unready(struct kunit *test)
{
	struct multi_fixture *fx = test->priv;

	atomic_set(fx->score[1], 5);
	atomic_set(fx->score[2], 9);
	drm_mock_sched_fini(fx->sched[0]);
	KUNIT_EXPECT_PTR_EQ(test, drm_sched_pick_best(fx->list, NSCHED), fx->list[1]);
	atomic_set(fx->score[1], 0);
	atomic_set(fx->score[2], 0);
}

/* With no ready scheduler at all, drm_sched_pick_best() returns NULL. */
static void drm_sched_entity_pick_best_none(struct kunit *test)
{
	struct multi_fixture *fx = test->priv;
	unsigned int i;

	for (i = 0; i < NSCHED; i++)
		drm_mock_sched_fini(fx->sched[i]);
	KUNIT_EXPECT_NULL(test, drm_sched_pick_best(fx->list, NSCHED));
}

/* The score counts jobs pushed and not yet finished. */
static void drm_sched_entity_score_tracks_jobs(struct kunit *test)
{
	struct multi_fixture *fx = test->priv;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job *jobs[3];
	unsigned int i;

	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, fx->sched[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(fx->score[0]), 0);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = drm_mock_sched_job_new(test, entity);
		drm_mock_sched_job_submit(jobs[i]);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(fx->score[0]), 3);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched[0], 3, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(fx->score[0]), 3);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched[0], 3), 3);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_frees(fx->sched[0], 3, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(fx->score[0]), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(fx->score[1]), 0);
}

/*
 * An idle entity over several schedulers lands, at arm time, on the one
 * with the lowest score; its fence contexts do not change with the move.
 */
static void drm_sched_entity_lands_on_least_loaded(struct kunit *test)
{
	struct multi_fixture *fx = test->priv;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job *job;
	unsigned int target;

	entity = drm_mock_sched_entity_new_multi(test, DRM_SCHED_PRIORITY_NORMAL,
						 fx->list, NSCHED, NULL);

	for (target = 0; target < NSCHED; target++) {
		unsigned int i;

		for (i = 0; i < NSCHED; i++)
			atomic_set(fx->score[i], i == target ? 0 : 50);
		job = drm_mock_sched_job_new(test, entity);
		drm_mock_sched_job_arm(job);
		for (i = 0; i < NSCHED; i++)
			atomic_set(fx->score[i], 0);

		KUNIT_EXPECT_PTR_EQ(test, job->base.sched, fx->list[target]);
		KUNIT_EXPECT_EQ(test, job->finished->context,
				entity->base.fence_context + 1);
		drm_mock_sched_job_push(job);
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched[target], 1), 1);
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));
	}
}

/*
 * An entity with work queued stays where it is even when another scheduler
 * becomes more attractive; jobs of one entity never overtake each other.
 */
static void drm_sched_entity_busy_stays(struct kunit *test)
{
	struct multi_fixture *fx = test->priv;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job *a, *b;

	entity = drm_mock_sched_entity_new_multi(test, DRM_SCHED_PRIORITY_NORMAL,
						 fx->list, 2, NULL);
	atomic_set(fx->score[1], 50);
	drm_sched_wqueue_stop(&fx->sched[0]->base);
	a = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(a);
	KUNIT_EXPECT_PTR_EQ(test, a->base.sched, fx->list[0]);

	atomic_set(fx->score[1], 0);
	atomic_add(50, fx->score[0]);
	b = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(b);
	KUNIT_EXPECT_PTR_EQ(test, b->base.sched, fx->list[0]);
	atomic_sub(50, fx->score[0]);

	drm_sched_wqueue_start(&fx->sched[0]->base);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched[0], 2, DRM_MOCK_WAIT));
	KUNIT_EXPECT_LT(test, drm_mock_sched_job_order(a), drm_mock_sched_job_order(b));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched[0], 2), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->sched[1]->run_count), 0);
}

/*
 * drm_sched_entity_modify_sched() moves an idle entity: its next job runs
 * on the new scheduler.
 */
static void drm_sched_entity_modify_idle(struct kunit *test)
{
	struct multi_fixture *fx = test->priv;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job *before, *after;
	struct drm_gpu_scheduler **target;

	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, fx->sched[0]);
	before = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(before);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(before, DRM_MOCK_WAIT));
	drm_mock_sched_advance(fx->sched[0], 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(before, DRM_MOCK_WAIT));

	target = kunit_kcalloc(test, 1, sizeof(*target), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, target);
	target[0] = fx->list[2];
	drm_sched_entity_modify_sched(&entity->base, target, 1);

	after = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(after);
	KUNIT_EXPECT_PTR_EQ(test, after->base.sched, fx->list[2]);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(after, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->sched[2]->run_count), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->sched[0]->run_count), 1);
	KUNIT_EXPECT_EQ(test, after->finished->seqno, before->finished->seqno + 1);
	drm_mock_sched_advance(fx->sched[2], 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(after, DRM_MOCK_WAIT));
}

/*
 * Modifying the list of a busy entity takes effect only once it is idle:
 * the job armed while work is queued stays on the old scheduler, the first
 * one armed after it drained goes to the new one.
 */
static void drm_sched_entity_modify_busy(struct kunit *test)
{
	struct multi_fixture *fx = test->priv;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job *a, *b, *c;
	struct drm_gpu_scheduler **target;

	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, fx->sched[0]);
	target = kunit_kcalloc(test, 1, sizeof(*target), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, target);
	target[0] = fx->list[1];

	drm_sched_wqueue_stop(&fx->sched[0]->base);
	a = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(a);
	drm_sched_entity_modify_sched(&entity->base, target, 1);
	b = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(b);
	KUNIT_EXPECT_PTR_EQ(test, b->base.sched, fx->list[0]);
	drm_sched_wqueue_start(&fx->sched[0]->base);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched[0], 2, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched[0], 2), 2);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_frees(fx->sched[0], 2, DRM_MOCK_WAIT));

	c = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(c);
	KUNIT_EXPECT_PTR_EQ(test, c->base.sched, fx->list[1]);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(c, DRM_MOCK_WAIT));
	drm_mock_sched_advance(fx->sched[1], 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(c, DRM_MOCK_WAIT));
}

/* An empty scheduler list is refused with a warning; nothing changes. */
static void drm_sched_entity_modify_empty(struct kunit *test)
{
	struct multi_fixture *fx = test->priv;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job *job;

	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, fx->sched[1]);
	kunit_info(test, "KUNIT-EXPECT-WARN: empty scheduler list\n");
	drm_sched_entity_modify_sched(&entity->base, fx->list, 0);

	job = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(job);
	KUNIT_EXPECT_PTR_EQ(test, job->base.sched, fx->list[1]);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	drm_mock_sched_advance(fx->sched[1], 1);
}

/*
 * Load spreads: jobs of many idle single-job entities over two schedulers
 * end up split evenly, because each lands on the less loaded one.
 */
static void drm_sched_entity_load_spreads(struct kunit *test)
{
	struct multi_fixture *fx = test->priv;
	struct drm_mock_sched_job *jobs[8];
	unsigned int i, on_first = 0;

	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		struct drm_mock_sched_entity *entity =
			drm_mock_sched_entity_new_multi(test, DRM_SCHED_PRIORITY_NORMAL,
							fx->list, 2, NULL);

		jobs[i] = drm_mock_sched_job_new(test, entity);
		drm_mock_sched_job_submit(jobs[i]);
		if (jobs[i]->base.sched == fx->list[0])
			on_first++;
	}
	KUNIT_EXPECT_EQ(test, on_first, ARRAY_SIZE(jobs) / 2);
	KUNIT_EXPECT_EQ(test, atomic_read(fx->score[0]), 4);
	KUNIT_EXPECT_EQ(test, atomic_read(fx->score[1]), 4);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched[0], 4, DRM_MOCK_WAIT));
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched[1], 4, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched[0], 4), 4);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched[1], 4), 4);
}

static struct kunit_case drm_sched_entity_cases[] = {
	KUNIT_CASE_PARAM(drm_sched_entity_pick_best, best_gen_params),
	KUNIT_CASE(drm_sched_entity_pick_best_skips_unready),
	KUNIT_CASE(drm_sched_entity_pick_best_none),
	KUNIT_CASE(drm_sched_entity_score_tracks_jobs),
	KUNIT_CASE(drm_sched_entity_lands_on_least_loaded),
	KUNIT_CASE(drm_sched_entity_busy_stays),
	KUNIT_CASE(drm_sched_entity_modify_idle),
	KUNIT_CASE(drm_sched_entity_modify_busy),
	KUNIT_CASE(drm_sched_entity_modify_empty),
	KUNIT_CASE(drm_sched_entity_load_spreads),
	{}
};

static struct kunit_suite drm_sched_entity_suite = {
	.name = "drm_sched_entity",
	.init = multi_suite_init,
	.test_cases = drm_sched_entity_cases,
};

kunit_test_suite(drm_sched_entity_suite);
