// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Job life cycle: drm_sched_job_init(), arm, push and cleanup, including
 * their misuse, and what the scheduler's fences report once a job ran.
 */

#include <kunit/test.h>
#include <linux/dma-fence.h>
#include <linux/ktime.h>

#include "sched_tests.h"

/* Init ------------------------------------------------------------------ */

/*
 * drm_sched_job_init() starts from a clean slate: stale bytes in the job
 * (a recycled allocation) do not survive into karma or the dependency set.
 */
static void drm_sched_job_init_zeroes(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	job = drm_mock_sched_job_alloc(test);
	memset(&job->base, 0x5a, sizeof(job->base));

	KUNIT_ASSERT_EQ(test, drm_sched_job_init(&job->base, &fx->entity->base, 3,
						 NULL, 0), 0);
	job->inited = true;
	KUNIT_EXPECT_EQ(test, atomic_read(&job->base.karma), 0);
	KUNIT_EXPECT_EQ(test, job->base.credits, 3);
	KUNIT_EXPECT_TRUE(test, xa_empty(&job->base.dependencies));
	KUNIT_EXPECT_PTR_EQ(test, job->base.entity, &fx->entity->base);
}

/* A job must occupy at least one credit: -EINVAL, and cleanup is a no-op. */
static void drm_sched_job_init_zero_credits(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	job = drm_mock_sched_job_alloc(test);
	KUNIT_EXPECT_EQ(test, drm_sched_job_init(&job->base, &fx->entity->base, 0,
						 NULL, 0), -EINVAL);
	drm_sched_job_cleanup(&job->base);
	job->cleaned = true;
}

/* An entity created without any scheduler has no run queue: -ENOENT. */
static void drm_sched_job_init_no_rq(struct kunit *test)
{
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job *job;

	entity = drm_mock_sched_entity_new_multi(test, DRM_SCHED_PRIORITY_NORMAL,
						 NULL, 0, NULL);
	KUNIT_EXPECT_NULL(test, entity->base.rq);
	job = drm_mock_sched_job_alloc(test);
	KUNIT_EXPECT_EQ(test, drm_sched_job_init(&job->base, &entity->base, 1,
						 NULL, 0), -ENOENT);
	drm_sched_job_cleanup(&job->base);
	job->cleaned = true;
}

/* The owner cookie and the client id end up on the job's fences. */
static void drm_sched_job_init_owner(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;
	int cookie;

	job = drm_mock_sched_job_alloc(test);
	KUNIT_ASSERT_EQ(test, drm_sched_job_init(&job->base, &fx->entity->base, 1,
						 &cookie, 0xc1e7), 0);
	job->inited = true;
	KUNIT_ASSERT_NOT_NULL(test, job->base.s_fence);
	KUNIT_EXPECT_PTR_EQ(test, job->base.s_fence->owner, (void *)&cookie);
	KUNIT_EXPECT_EQ(test, job->base.s_fence->drm_client_id, 0xc1e7);
}

/* Arm ------------------------------------------------------------------- */

struct count_case {
	const char *desc;
	unsigned int n;
};

static const struct count_case arm_cases[] = {
	{ "1-job", 1 },
	{ "3-jobs", 3 },
	{ "40-jobs", 40 },
};

KUNIT_ARRAY_PARAM_DESC(arm, arm_cases, desc);

/*
 * Arming gives the scheduled fence the entity's context and the finished
 * fence the next one, both with the same seqno, which grows by one per job.
 * Job ids are unique.
 */
static void drm_sched_job_arm_fences(struct kunit *test)
{
	const struct count_case *p = test->param_value;
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job **jobs;
	unsigned int i;

	jobs = kunit_kcalloc(test, p->n, sizeof(*jobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jobs);

	for (i = 0; i < p->n; i++) {
		jobs[i] = drm_mock_sched_job_new(test, fx->entity);
		drm_mock_sched_job_arm(jobs[i]);
		KUNIT_EXPECT_EQ(test, jobs[i]->scheduled->context,
				fx->entity->base.fence_context);
		KUNIT_EXPECT_EQ(test, jobs[i]->finished->context,
				fx->entity->base.fence_context + 1);
		KUNIT_EXPECT_EQ(test, jobs[i]->scheduled->seqno,
				jobs[i]->finished->seqno);
		KUNIT_EXPECT_PTR_EQ(test, jobs[i]->base.sched, &fx->sched->base);
		if (i) {
			KUNIT_EXPECT_EQ(test, jobs[i]->finished->seqno,
					jobs[i - 1]->finished->seqno + 1);
			KUNIT_EXPECT_NE(test, jobs[i]->base.id, jobs[i - 1]->base.id);
		}
	}
	for (i = 0; i < p->n; i++)
		drm_mock_sched_job_push(jobs[i]);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, p->n, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, p->n), p->n);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_wait_frees(fx->sched, p->n, DRM_MOCK_WAIT));
}

/* Each entity has its own fence contexts. */
static void drm_sched_job_arm_contexts_distinct(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_entity *other;

	other = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, fx->sched);
	KUNIT_EXPECT_NE(test, fx->entity->base.fence_context,
			other->base.fence_context);
	KUNIT_EXPECT_NE(test, fx->entity->base.fence_context + 1,
			other->base.fence_context);
	KUNIT_EXPECT_NE(test, fx->entity->base.fence_context,
			other->base.fence_context + 1);
}

/* Arming twice warns and changes nothing: the seqno stays the first one. */
static void drm_sched_job_arm_twice(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job, *next;
	u64 seqno;

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_arm(job);
	seqno = job->finished->seqno;

	kunit_info(test, "KUNIT-EXPECT-WARN: job armed twice\n");
	drm_sched_job_arm(&job->base);
	KUNIT_EXPECT_EQ(test, job->base.s_fence->finished.seqno, seqno);

	next = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_arm(next);
	KUNIT_EXPECT_EQ(test, next->finished->seqno, seqno + 1);

	drm_mock_sched_job_push(job);
	drm_mock_sched_job_push(next);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 2, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->run_count), 1);
	drm_mock_sched_advance(fx->sched, 2);
}

/*
 * Pushing a job that was never armed warns and does not queue it; the
 * caller still owns it. A later, correct job still runs.
 */
static void drm_sched_job_push_unarmed(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *bad, *good;

	bad = drm_mock_sched_job_new(test, fx->entity);

	kunit_info(test, "KUNIT-EXPECT-WARN: push without arm\n");
	drm_sched_entity_push_job(&bad->base);
	KUNIT_EXPECT_EQ(test, spsc_queue_count(&fx->entity->base.job_queue), 0);

	good = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(good);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(good, DRM_MOCK_WAIT));
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_frees(fx->sched, 1, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(&bad->run_count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->sched->run_count), 1);

	drm_mock_sched_job_cleanup(bad);
}

/* Cleanup of an initialised but never armed job releases it quietly. */
static void drm_sched_job_cleanup_before_arm(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_cleanup(job);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->entity->base.fence_seq), 0);
}

/* Cleanup after arm drops exactly the job's reference on its finished fence. */
static void drm_sched_job_cleanup_after_arm(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;
	unsigned int refs;

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_arm(job);
	refs = kref_read(&job->finished->refcount);
	drm_mock_sched_job_cleanup(job);
	KUNIT_EXPECT_EQ(test, kref_read(&job->finished->refcount), refs - 1);
	/* Nobody will ever run it: let waiters go. */
	drm_mock_fence_signal(job->scheduled, -ECANCELED);
	drm_mock_fence_signal(job->finished, -ECANCELED);
}

/* Cleaning up twice warns once and does not crash or double-free. */
static void drm_sched_job_cleanup_twice(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;
	unsigned int refs;

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_arm(job);
	refs = kref_read(&job->finished->refcount);
	drm_mock_sched_job_cleanup(job);

	kunit_info(test, "KUNIT-EXPECT-WARN: job cleaned up twice\n");
	drm_sched_job_cleanup(&job->base);
	KUNIT_EXPECT_EQ(test, kref_read(&job->finished->refcount), refs - 1);
	drm_mock_fence_signal(job->scheduled, -ECANCELED);
	drm_mock_fence_signal(job->finished, -ECANCELED);
}

/* to_drm_sched_fence() knows both scheduler fences and nothing else. */
static void drm_sched_job_to_sched_fence(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct dma_fence *foreign =
		drm_mock_timeline_fence(drm_mock_timeline_new(test), 1);
	struct drm_mock_sched_job *job;
	struct dma_fence *stub;

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_arm(job);

	KUNIT_EXPECT_PTR_EQ(test, to_drm_sched_fence(job->finished), job->base.s_fence);
	KUNIT_EXPECT_PTR_EQ(test, to_drm_sched_fence(job->scheduled), job->base.s_fence);
	KUNIT_EXPECT_NULL(test, to_drm_sched_fence(foreign));
	stub = dma_fence_get_stub();
	KUNIT_EXPECT_NULL(test, to_drm_sched_fence(stub));
	dma_fence_put(stub);

	drm_mock_sched_job_push(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	/* The hardware fence is not a scheduler fence either. */
	KUNIT_EXPECT_NULL(test, to_drm_sched_fence(&job->hw[0]->base));
	drm_mock_sched_advance(fx->sched, 1);
}

/* The job records its entity's priority when armed. */
static void drm_sched_job_priority_recorded(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_entity *high;
	struct drm_mock_sched_job *job;

	high = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_HIGH, fx->sched);
	job = drm_mock_sched_job_new(test, high);
	drm_mock_sched_job_arm(job);
	KUNIT_EXPECT_EQ(test, job->base.s_priority, DRM_SCHED_PRIORITY_HIGH);
	drm_mock_sched_job_push(job);
	drm_mock_sched_advance(fx->sched, 1);
}

/* Running --------------------------------------------------------------- */

/*
 * The scheduled fence signals when run_job hands the job to the hardware;
 * the finished fence only when the hardware fence signals.
 */
static void drm_sched_job_fence_stages(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(job);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->run_count), 1);
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(job));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_hw_pending(fx->sched), 1);
	KUNIT_EXPECT_PTR_EQ(test, job->base.s_fence->parent, &job->hw[0]->base);

	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 1), 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), 0);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_calls), 1);
}

/* A timed job completes by itself once its duration elapsed. */
static void drm_sched_job_timed_completion(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	job = drm_mock_sched_job_new(test, fx->entity);
	job->duration_us = 1000;
	drm_mock_sched_job_submit(job);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), 0);
}

struct error_case {
	const char *desc;
	int error;
};

static const struct error_case run_error_cases[] = {
	{ "EIO", -EIO },
	{ "ENOMEM", -ENOMEM },
	{ "EINVAL", -EINVAL },
	{ "ENODEV", -ENODEV },
};

KUNIT_ARRAY_PARAM_DESC(run_error, run_error_cases, desc);

/*
 * run_job failing with an ERR_PTR finishes the job with that error and no
 * hardware fence; the job is still freed.
 */
static void drm_sched_job_run_error(struct kunit *test)
{
	const struct error_case *p = test->param_value;
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	job = drm_mock_sched_job_new(test, fx->entity);
	job->run_error = p->error;
	drm_mock_sched_job_submit(job);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), p->error);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_is_scheduled(job));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_hw_pending(fx->sched), 0);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));
}

/* run_job returning NULL means done: finished signals at once, no error. */
static void drm_sched_job_run_null(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	job = drm_mock_sched_job_new(test, fx->entity);
	job->run_null = true;
	drm_mock_sched_job_submit(job);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), 0);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_hw_pending(fx->sched), 0);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(fx->sched), 0);
}

static const struct error_case hw_error_cases[] = {
	{ "EIO", -EIO },
	{ "EPIPE", -EPIPE },
	{ "ENODATA", -ENODATA },
	{ "ETIMEDOUT", -ETIMEDOUT },
};

KUNIT_ARRAY_PARAM_DESC(hw_error, hw_error_cases, desc);

/* The hardware fence's error becomes the finished fence's error. */
static void drm_sched_job_hw_error(struct kunit *test)
{
	const struct error_case *p = test->param_value;
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job, *next;

	job = drm_mock_sched_job_new(test, fx->entity);
	job->hw_error = p->error;
	drm_mock_sched_job_submit(job);
	next = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(next);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 2, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 2), 2);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(next, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), p->error);
	/* The error stays with its job. */
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(next), 0);
}

/*
 * drm_sched_entity_error() reports the error of the last popped job's
 * finished fence: 0 initially, the error after a failed job, and 0 again
 * after a good one.
 */
static void drm_sched_job_entity_error(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *bad, *good;

	KUNIT_EXPECT_EQ(test, drm_sched_entity_error(&fx->entity->base), 0);

	bad = drm_mock_sched_job_new(test, fx->entity);
	bad->hw_error = -EIO;
	drm_mock_sched_job_submit(bad);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(bad, DRM_MOCK_WAIT));
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(bad, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_sched_entity_error(&fx->entity->base), -EIO);

	good = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(good);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(good, DRM_MOCK_WAIT));
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(good, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_sched_entity_error(&fx->entity->base), 0);
}

/*
 * An entity whose guilty flag is set gets -ECANCELED on the finished fence
 * before run_job, which is still called.
 */
static void drm_sched_job_guilty_entity(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_entity *entity;
	struct drm_gpu_scheduler **list;
	struct drm_mock_sched_job *job;
	atomic_t *guilty;

	guilty = kunit_kzalloc(test, sizeof(*guilty), GFP_KERNEL);
	list = kunit_kcalloc(test, 1, sizeof(*list), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, guilty);
	KUNIT_ASSERT_NOT_NULL(test, list);
	list[0] = &fx->sched->base;
	entity = drm_mock_sched_entity_new_multi(test, DRM_SCHED_PRIORITY_NORMAL,
						 list, 1, guilty);
	atomic_set(guilty, 1);

	job = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->run_count), 1);
	KUNIT_EXPECT_EQ(test, job->error_at_run, -ECANCELED);
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), -ECANCELED);
}

/* An innocent entity's job on the same scheduler is not affected. */
static void drm_sched_job_innocent_entity(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, job->error_at_run, 0);
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), 0);
}

/* A deadline set before the job runs reaches the hardware fence once it runs. */
static void drm_sched_job_deadline_before_run(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct dma_fence *gate = drm_mock_timeline_fence(drm_mock_timeline_new(test), 1);
	struct drm_mock_sched_job *job;
	ktime_t want, got;

	job = drm_mock_sched_job_new(test, fx->entity);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&job->base,
							   dma_fence_get(gate)), 0);
	drm_mock_sched_job_submit(job);

	want = ktime_add_ms(ktime_get(), 50);
	dma_fence_set_deadline(job->finished, want);
	drm_mock_fence_signal(gate, 0);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_hw_deadline(job, &got));
	KUNIT_EXPECT_EQ(test, ktime_to_ns(got), ktime_to_ns(want));
	drm_mock_sched_advance(fx->sched, 1);
}

/* A deadline set while the job runs is forwarded at once. */
static void drm_sched_job_deadline_while_running(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;
	ktime_t want, got;

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_hw_deadline(job, &got));

	want = ktime_add_ms(ktime_get(), 20);
	dma_fence_set_deadline(job->finished, want);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_hw_deadline(job, &got));
	KUNIT_EXPECT_EQ(test, ktime_to_ns(got), ktime_to_ns(want));
	drm_mock_sched_advance(fx->sched, 1);
}

/* The fences report the scheduler's name as their timeline. */
static void drm_sched_job_timeline_name(struct kunit *test)
{
	struct drm_mock_sched_params params = { .name = "named-ring" };
	struct drm_mock_sched_entity *entity;
	struct drm_mock_scheduler *sched;
	struct drm_mock_sched_job *job;

	/* Its own scheduler: the fixture's has the default name. */
	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	job = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(job);
	KUNIT_EXPECT_STREQ(test, job->finished->ops->get_timeline_name(job->finished),
			   "named-ring");
	KUNIT_EXPECT_STREQ(test, job->scheduled->ops->get_timeline_name(job->scheduled),
			   "named-ring");
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	drm_mock_sched_advance(sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
}

/* The optional callbacks are optional: a scheduler without them works. */
static void drm_sched_job_no_optional_ops(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	KUNIT_EXPECT_NULL(test, fx->sched->ops.prepare_job);
	KUNIT_EXPECT_NULL(test, fx->sched->ops.update_job_credits);
	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->sched->prepare_count), 0);
}

/* Init ------------------------------------------------------------------ */

struct init_case {
	const char *desc;
	u32 num_rqs;
	u32 credit_limit;
	bool no_run_job;
	bool no_free_job;
	bool no_ops;
	int expected;
};

static const struct init_case init_cases[] = {
	{ "valid-1-rq", 1, 1, false, false, false, 0 },
	{ "valid-all-rqs", DRM_SCHED_PRIORITY_COUNT, 8, false, false, false, 0 },
	{ "zero-rqs", 0, 8, false, false, false, -EINVAL },
	{ "too-many-rqs", DRM_SCHED_PRIORITY_COUNT + 1, 8, false, false, false, -EINVAL },
	{ "zero-credits", 2, 0, false, false, false, -EINVAL },
	{ "no-run-job", 2, 8, true, false, false, -EINVAL },
	{ "no-free-job", 2, 8, false, true, false, -EINVAL },
	{ "no-ops", 2, 8, false, false, true, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(init, init_cases, desc);

static struct dma_fence *init_test_run_job(struct drm_sched_job *job)
{
	return NULL;
}

static void init_test_free_job(struct drm_sched_job *job)
{
}

/* drm_sched_init() validates its arguments; a valid scheduler can be fini'd. */
static void drm_sched_job_sched_init_args(struct kunit *test)
{
	const struct init_case *p = test->param_value;
	struct drm_sched_backend_ops *ops;
	struct drm_sched_init_args args = {};
	struct drm_gpu_scheduler *sched;
	int ret;

	ops = kunit_kzalloc(test, sizeof(*ops), GFP_KERNEL);
	sched = kunit_kzalloc(test, sizeof(*sched), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	KUNIT_ASSERT_NOT_NULL(test, sched);
	ops->run_job = p->no_run_job ? NULL : init_test_run_job;
	ops->free_job = p->no_free_job ? NULL : init_test_free_job;

	args.ops = p->no_ops ? NULL : ops;
	args.num_rqs = p->num_rqs;
	args.credit_limit = p->credit_limit;
	args.timeout = MAX_SCHEDULE_TIMEOUT;
	args.name = "init-args";

	ret = drm_sched_init(sched, &args);
	KUNIT_EXPECT_EQ(test, ret, p->expected);
	if (!ret) {
		KUNIT_EXPECT_TRUE(test, drm_sched_wqueue_ready(sched));
		KUNIT_EXPECT_NOT_NULL(test, sched->submit_wq);
		KUNIT_EXPECT_EQ(test, sched->num_rqs, p->num_rqs);
		drm_sched_fini(sched);
	}
}

static struct kunit_case drm_sched_job_cases[] = {
	KUNIT_CASE_PARAM(drm_sched_job_sched_init_args, init_gen_params),
	KUNIT_CASE(drm_sched_job_init_zeroes),
	KUNIT_CASE(drm_sched_job_init_zero_credits),
	KUNIT_CASE(drm_sched_job_init_no_rq),
	KUNIT_CASE(drm_sched_job_init_owner),
	KUNIT_CASE_PARAM(drm_sched_job_arm_fences, arm_gen_params),
	KUNIT_CASE(drm_sched_job_arm_contexts_distinct),
	KUNIT_CASE(drm_sched_job_arm_twice),
	KUNIT_CASE(drm_sched_job_push_unarmed),
	KUNIT_CASE(drm_sched_job_cleanup_before_arm),
	KUNIT_CASE(drm_sched_job_cleanup_after_arm),
	KUNIT_CASE(drm_sched_job_cleanup_twice),
	KUNIT_CASE(drm_sched_job_to_sched_fence),
	KUNIT_CASE(drm_sched_job_priority_recorded),
	{}
};

static struct kunit_suite drm_sched_job_suite = {
	.name = "drm_sched_job",
	.init = drm_mock_sched_fixture_init,
	.test_cases = drm_sched_job_cases,
};

static struct kunit_case drm_sched_run_cases[] = {
	KUNIT_CASE(drm_sched_job_fence_stages),
	KUNIT_CASE(drm_sched_job_timed_completion),
	KUNIT_CASE_PARAM(drm_sched_job_run_error, run_error_gen_params),
	KUNIT_CASE(drm_sched_job_run_null),
	KUNIT_CASE_PARAM(drm_sched_job_hw_error, hw_error_gen_params),
	KUNIT_CASE(drm_sched_job_entity_error),
	KUNIT_CASE(drm_sched_job_guilty_entity),
	KUNIT_CASE(drm_sched_job_innocent_entity),
	KUNIT_CASE(drm_sched_job_deadline_before_run),
	KUNIT_CASE(drm_sched_job_deadline_while_running),
	KUNIT_CASE(drm_sched_job_timeline_name),
	KUNIT_CASE(drm_sched_job_no_optional_ops),
	{}
};

static struct kunit_suite drm_sched_run_suite = {
	.name = "drm_sched_run",
	.init = drm_mock_sched_fixture_init,
	.test_cases = drm_sched_run_cases,
};

kunit_test_suites(&drm_sched_job_suite, &drm_sched_run_suite);
