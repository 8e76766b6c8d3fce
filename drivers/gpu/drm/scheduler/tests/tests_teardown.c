// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Teardown: flushing and killing entities with work still queued, pushing
 * to killed entities, and drm_sched_fini() with jobs on the hardware. No
 * job may hang, run after being cancelled, or leak.
 */

#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/string.h>

#include "sched_tests.h"

/* Kill @entity now; the end-of-test action must not do it again. */
static void kill_entity(struct drm_mock_sched_entity *entity)
{
	drm_sched_entity_fini(&entity->base);
	entity->destroyed = true;
}

/* Flush ----------------------------------------------------------------- */

/*
 * drm_sched_entity_flush() returns once every queued job has been handed to
 * the hardware, with time to spare; the jobs themselves may still run.
 */
static void drm_sched_teardown_flush_drains(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *jobs[4];
	unsigned int i;
	long left;

	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = drm_mock_sched_job_new(test, fx->entity);
		drm_mock_sched_job_submit(jobs[i]);
	}
	left = drm_sched_entity_flush(&fx->entity->base, DRM_MOCK_WAIT);
	KUNIT_EXPECT_GT(test, left, 0);
	KUNIT_EXPECT_EQ(test, spsc_queue_count(&fx->entity->base.job_queue), 0);
	for (i = 0; i < ARRAY_SIZE(jobs); i++)
		KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_scheduled(jobs[i],
									  DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 4), 4);
}

/*
 * From a task that is not exiting, a flush waits for the queue to drain
 * however long that takes: here until a job on another scheduler that the
 * queued job depends on completes by itself, well after the nominal
 * one-jiffy timeout.
 */
static void drm_sched_teardown_flush_waits(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_scheduler *other = drm_mock_sched_new(test, 0);
	struct drm_mock_sched_entity *remote;
	struct drm_mock_sched_job *slow, *job;

	remote = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, other);
	slow = drm_mock_sched_job_new(test, remote);
	slow->duration_us = 100 * USEC_PER_MSEC;
	drm_mock_sched_job_arm(slow);

	job = drm_mock_sched_job_new(test, fx->entity);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&job->base,
							   dma_fence_get(slow->finished)), 0);
	drm_mock_sched_job_push(slow);
	drm_mock_sched_job_submit(job);

	KUNIT_EXPECT_GT(test, drm_sched_entity_flush(&fx->entity->base, 1), 0);
	KUNIT_EXPECT_EQ(test, spsc_queue_count(&fx->entity->base.job_queue), 0);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_is_finished(slow));
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
}

/* Flushing an empty entity returns at once with the whole timeout. */
static void drm_sched_teardown_flush_empty(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;

	KUNIT_EXPECT_EQ(test, drm_sched_entity_flush(&fx->entity->base, 1234), 1234);
}

/* Killing entities ------------------------------------------------------ */

struct kill_case {
	const char *desc;
	unsigned int jobs;
	bool gated;
};

static const struct kill_case kill_cases[] = {
	{ "1-job-gated", 1, true },
	{ "3-jobs-gated", 3, true },
	{ "10-jobs-gated", 10, true },
	{ "4-jobs-behind-running", 4, false },
};

KUNIT_ARRAY_PARAM_DESC(kill, kill_cases, desc);

/*
 * drm_sched_entity_fini() with jobs still queued: none of them runs; each
 * waits for its own dependencies (here: the head job's gate), then both of
 * its fences signal with -ESRCH, in push order, and free_job releases it.
 */
static void drm_sched_teardown_kill_queued(struct kunit *test)
{
	const struct kill_case *p = test->param_value;
	struct drm_mock_sched_fixture *fx = test->priv;
	struct dma_fence *gate = drm_mock_timeline_fence(drm_mock_timeline_new(test), 1);
	struct drm_mock_sched_job **jobs, *blocker = NULL;
	struct drm_mock_sched_entity *other;
	unsigned int i;

	jobs = kunit_kcalloc(test, p->jobs, sizeof(*jobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jobs);

	if (!p->gated) {
		/*
		 * Keep the ring full so that the entity's jobs stay queued: a
		 * scheduler of one credit, in place of the fixture's.
		 */
		struct drm_mock_sched_params params = { .credit_limit = 1 };

		fx = drm_mock_sched_fixture_new(test, &params);
		other = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
						  fx->sched);
		blocker = drm_mock_sched_job_new(test, other);
		drm_mock_sched_job_submit(blocker);
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(blocker,
									  DRM_MOCK_WAIT));
	}

	for (i = 0; i < p->jobs; i++) {
		jobs[i] = drm_mock_sched_job_new(test, fx->entity);
		if (!i && p->gated)
			KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&jobs[i]->base,
									   dma_fence_get(gate)), 0);
		drm_mock_sched_job_submit(jobs[i]);
	}

	kill_entity(fx->entity);
	if (p->gated) {
		KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(jobs[0]));
		drm_mock_fence_signal(gate, 0);
	}

	for (i = 0; i < p->jobs; i++) {
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(jobs[i],
									 DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]), -ESRCH);
		KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_is_scheduled(jobs[i]));
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->run_count), 0);
		KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(jobs[i],
								      DRM_MOCK_WAIT));
		if (i)
			KUNIT_EXPECT_LE(test, ktime_compare(jobs[i - 1]->finished->timestamp,
							    jobs[i]->finished->timestamp), 0);
	}

	if (blocker) {
		KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 1), 1);
		KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(blocker,
									 DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(blocker), 0);
	}
}

/*
 * A cancelled job's scheduled fence carries the cancellation error too, so
 * that nobody waiting only for "scheduled" mistakes it for a started job.
 */
static void drm_sched_teardown_kill_scheduled_error(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	drm_sched_wqueue_stop(&fx->sched->base);
	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(job);
	kill_entity(fx->entity);
	drm_sched_wqueue_start(&fx->sched->base);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_is_scheduled(job));
	KUNIT_EXPECT_EQ(test, job->scheduled->error, -ESRCH);
	KUNIT_EXPECT_EQ(test, job->finished->error, -ESRCH);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->run_count), 0);
}

/*
 * Cancelled jobs finish in order: the second job's own dependency signals
 * first, yet it is only cancelled after the first job was.
 */
static void drm_sched_teardown_kill_chained(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence *g1 = drm_mock_timeline_fence(tl, 1);
	struct dma_fence *g2 = drm_mock_timeline_fence(drm_mock_timeline_new(test), 1);
	struct drm_mock_sched_job *a, *b;

	a = drm_mock_sched_job_new(test, fx->entity);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&a->base, dma_fence_get(g1)), 0);
	drm_mock_sched_job_submit(a);
	b = drm_mock_sched_job_new(test, fx->entity);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&b->base, dma_fence_get(g2)), 0);
	drm_mock_sched_job_submit(b);

	kill_entity(fx->entity);
	drm_mock_fence_signal(g2, 0);
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(b));
	drm_mock_fence_signal(g1, 0);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(b, DRM_MOCK_WAIT));
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(a, DRM_MOCK_WAIT));
	KUNIT_EXPECT_LE(test, ktime_compare(a->finished->timestamp,
					    b->finished->timestamp), 0);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(a), -ESRCH);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(b), -ESRCH);
}

/*
 * A cancelled job depending on a running job of another entity waits for
 * that job to finish before it is cancelled.
 */
static void drm_sched_teardown_kill_waits_for_sched_dep(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_entity *producer;
	struct drm_mock_sched_job *first, *victim;

	producer = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, fx->sched);
	first = drm_mock_sched_job_new(test, producer);
	drm_mock_sched_job_arm(first);
	set_bit(DRM_SCHED_FENCE_DONT_PIPELINE, &first->finished->flags);
	victim = drm_mock_sched_job_new(test, fx->entity);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&victim->base,
							   dma_fence_get(first->finished)), 0);
	drm_mock_sched_job_push(first);
	drm_mock_sched_job_submit(victim);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(first, DRM_MOCK_WAIT));

	kill_entity(fx->entity);
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(victim));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 1), 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(victim, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(victim), -ESRCH);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(first), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&victim->run_count), 0);
}

/*
 * drm_sched_entity_destroy() on an entity whose jobs can all run: the flush
 * lets them reach the hardware, where they complete normally afterwards.
 */
static void drm_sched_teardown_destroy_runnable(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *jobs[3];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = drm_mock_sched_job_new(test, fx->entity);
		drm_mock_sched_job_submit(jobs[i]);
	}
	drm_sched_entity_destroy(&fx->entity->base);
	fx->entity->destroyed = true;
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 3, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 3), 3);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(jobs[i],
									 DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]), 0);
	}
}

/* An entity whose job is on the hardware may go away; the job completes. */
static void drm_sched_teardown_entity_gone_job_runs(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	kill_entity(fx->entity);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 1), 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), 0);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));
}

struct late_case {
	const char *desc;
	bool sched_gone;
};

static const struct late_case late_cases[] = {
	{ "entity-killed", false },
	{ "scheduler-finalized", true },
};

KUNIT_ARRAY_PARAM_DESC(late, late_cases, desc);

/*
 * A job armed before its entity was killed (or its scheduler finalized) and
 * pushed afterwards is cancelled with -ESRCH instead of hanging.
 */
static void drm_sched_teardown_push_after_kill(struct kunit *test)
{
	const struct late_case *p = test->param_value;
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_arm(job);

	if (p->sched_gone) {
		drm_mock_sched_fini(fx->sched);
		KUNIT_EXPECT_NULL(test, fx->entity->base.rq);
	} else {
		kill_entity(fx->entity);
	}

	drm_mock_sched_job_push(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), -ESRCH);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->run_count), 0);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));
}

/* Scheduler fini -------------------------------------------------------- */

struct fini_case {
	const char *desc;
	unsigned int on_hw;
	unsigned int queued;
};

static const struct fini_case fini_cases[] = {
	{ "idle", 0, 0 },
	{ "1-on-hw", 1, 0 },
	{ "3-on-hw-2-queued", 3, 2 },
	{ "2-on-hw-10-queued", 2, 10 },
};

KUNIT_ARRAY_PARAM_DESC(fini, fini_cases, desc);

/*
 * drm_sched_fini() with jobs on the hardware and jobs still queued: all of
 * them finish with -ECANCELED (scheduled fences signalled too), free_job is
 * called once for each, and the entity is left without a run queue.
 */
static void drm_sched_teardown_fini_pending(struct kunit *test)
{
	const struct fini_case *p = test->param_value;
	struct drm_mock_sched_params params = { .credit_limit = p->on_hw ?: 1 };
	unsigned int total = p->on_hw + p->queued, i;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job **jobs;
	struct drm_mock_scheduler *sched;

	/* Its own scheduler: the ring size comes from the parameter. */
	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	jobs = kunit_kcalloc(test, total + 1, sizeof(*jobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jobs);

	for (i = 0; i < total; i++) {
		jobs[i] = drm_mock_sched_job_new(test, entity);
		drm_mock_sched_job_submit(jobs[i]);
	}
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched, p->on_hw, DRM_MOCK_WAIT));

	drm_mock_sched_fini(sched);
	KUNIT_EXPECT_NULL(test, entity->base.rq);
	KUNIT_EXPECT_FALSE(test, drm_sched_wqueue_ready(&sched->base));

	for (i = 0; i < total; i++) {
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(jobs[i],
									 DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]), -ECANCELED);
		KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_is_scheduled(jobs[i]));
		KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(jobs[i],
								      DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->free_calls), 1);
		KUNIT_EXPECT_LE(test, atomic_read(&jobs[i]->run_count), 1);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->free_count), total);
}

struct cancel_case {
	const char *desc;
	unsigned int on_hw;
	unsigned int queued;
	int driver_error;	/* what cancel_job signals with, 0 for nothing */
	int hw_job_error;	/* what the jobs on the hardware finish with */
};

static const struct cancel_case cancel_cases[] = {
	{ "1-on-hw-ecanceled", 1, 0, -ECANCELED, -ECANCELED },
	{ "3-on-hw-2-queued-eio", 3, 2, -EIO, -EIO },
	{ "2-on-hw-driver-forgets", 2, 1, 0, -ECANCELED },
};

KUNIT_ARRAY_PARAM_DESC(cancel, cancel_cases, desc);

/*
 * With a cancel_job callback, drm_sched_fini() asks the driver once per job
 * on the hardware, with the workers stopped and before free_job; those jobs
 * finish with the error the driver signalled (-ECANCELED when it signalled
 * nothing), and jobs still queued are cancelled without asking the driver.
 */
static void drm_sched_teardown_fini_cancel_job(struct kunit *test)
{
	const struct cancel_case *p = test->param_value;
	struct drm_mock_sched_params params = {
		.credit_limit = p->on_hw, .cancel_job = true,
	};
	unsigned int total = p->on_hw + p->queued, i;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job **jobs;
	struct drm_mock_scheduler *sched;

	sched = drm_mock_sched_new_params(test, &params);
	sched->cancel_error = p->driver_error;
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	jobs = kunit_kcalloc(test, total, sizeof(*jobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jobs);

	for (i = 0; i < total; i++) {
		jobs[i] = drm_mock_sched_job_new(test, entity);
		drm_mock_sched_job_submit(jobs[i]);
	}
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched, p->on_hw, DRM_MOCK_WAIT));

	drm_mock_sched_fini(sched);
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->cancel_count), p->on_hw);
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->cancel_running), 0);

	for (i = 0; i < total; i++) {
		bool on_hw = i < p->on_hw;

		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(jobs[i],
								      DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]),
				on_hw ? p->hw_job_error : -ECANCELED);
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->cancel_calls), on_hw);
		KUNIT_EXPECT_EQ(test, jobs[i]->cancelled_at_free, on_hw);
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->free_calls), 1);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->free_count), total);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(sched), 0);
}

/*
 * A job the hardware finished but the stopped free worker did not free yet
 * is not the driver's to cancel: drm_sched_fini() frees it with its own
 * result and calls cancel_job only for the job still running.
 */
static void drm_sched_teardown_fini_cancel_skips_finished(struct kunit *test)
{
	struct drm_mock_sched_params params = { .cancel_job = true };
	struct drm_mock_sched_job *done, *running;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_scheduler *sched;

	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	done = drm_mock_sched_job_new(test, entity);
	running = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(done);
	drm_mock_sched_job_submit(running);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched, 2, DRM_MOCK_WAIT));

	drm_sched_wqueue_stop(&sched->base);
	KUNIT_ASSERT_EQ(test, drm_mock_sched_advance(sched, 1), 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_is_finished(done));
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->free_count), 0);

	drm_mock_sched_fini(sched);
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->cancel_count), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&done->cancel_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&running->cancel_calls), 1);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(done), 0);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(running), -ECANCELED);
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->free_count), 2);
}

/*
 * drm_sched_fini() after drm_sched_stop() without a start: the jobs the
 * stop detached from their hardware fences still get cancel_job, finish
 * with -ECANCELED and are freed once, and neither the credits (which the
 * stop already gave back) nor the load score are counted twice.
 */
static void drm_sched_teardown_fini_after_stop(struct kunit *test)
{
	struct drm_mock_sched_params params = { .cancel_job = true };
	struct drm_mock_sched_entity *entity;
	struct drm_mock_scheduler *sched;
	struct drm_mock_sched_job *jobs[2];
	unsigned int i;

	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = drm_mock_sched_job_new(test, entity);
		drm_mock_sched_job_submit(jobs[i]);
	}
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched, 2, DRM_MOCK_WAIT));

	drm_sched_stop(&sched->base, NULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->base.credit_count), 0);
	drm_mock_sched_fini(sched);

	KUNIT_EXPECT_EQ(test, atomic_read(&sched->cancel_count), 2);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(jobs[i],
								      DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]), -ECANCELED);
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->free_calls), 1);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->base.credit_count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(sched->base.score), 0);
}

/* Entity kill ----------------------------------------------------------- */

/*
 * drm_sched_entity_kill() cancels the queued jobs with -ESRCH, leaves the
 * job on the hardware alone, cancels a job armed before and pushed after
 * it, makes drm_sched_job_init() fail with -ENOENT, and may be repeated;
 * drm_sched_entity_fini() still works afterwards.
 */
static void drm_sched_teardown_entity_kill_exported(struct kunit *test)
{
	struct drm_mock_sched_params params = { .credit_limit = 1 };
	struct drm_mock_sched_job *running, *queued[2], *late, *refused;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_scheduler *sched;
	unsigned int i;

	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	running = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(running);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched, 1, DRM_MOCK_WAIT));
	for (i = 0; i < ARRAY_SIZE(queued); i++) {
		queued[i] = drm_mock_sched_job_new(test, entity);
		drm_mock_sched_job_submit(queued[i]);
	}
	late = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_arm(late);

	drm_sched_entity_kill(&entity->base);
	drm_sched_entity_kill(&entity->base);
	KUNIT_EXPECT_NULL(test, entity->base.rq);

	drm_mock_sched_job_push(late);
	refused = drm_mock_sched_job_alloc(test);
	KUNIT_EXPECT_EQ(test, drm_sched_job_init(&refused->base, &entity->base, 1,
						 NULL, 0), -ENOENT);

	/* Cancelled jobs finish only after the job ahead of them. */
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(queued[0]));
	drm_mock_sched_advance(sched, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(running, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(running), 0);

	for (i = 0; i < ARRAY_SIZE(queued); i++) {
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(queued[i],
								      DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(queued[i]), -ESRCH);
		KUNIT_EXPECT_EQ(test, atomic_read(&queued[i]->run_count), 0);
	}
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(late, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(late), -ESRCH);
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->run_count), 1);

	kill_entity(entity);
}

/*
 * The scheduler's fences outlive it: the timeline name is still readable
 * after drm_sched_fini(), even once the caller's name buffer changed.
 */
static void drm_sched_teardown_fences_outlive(struct kunit *test)
{
	struct drm_mock_sched_params params = {};
	struct drm_mock_sched_entity *entity;
	struct drm_mock_scheduler *sched;
	struct drm_mock_sched_job *job;
	char *name;

	name = kunit_kzalloc(test, 16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, name);
	strscpy(name, "short-lived", 16);
	params.name = name;

	/* Its own scheduler, named from a buffer the test overwrites later. */
	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	job = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	drm_mock_sched_advance(sched, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));

	drm_mock_sched_entity_free(entity);
	drm_mock_sched_fini(sched);
	memset(name, 'x', 15);

	KUNIT_EXPECT_STREQ(test, job->finished->ops->get_timeline_name(job->finished),
			   "short-lived");
	KUNIT_EXPECT_STREQ(test, job->scheduled->ops->get_timeline_name(job->scheduled),
			   "short-lived");
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), 0);
}

/* Destroying an entity after its scheduler is gone is safe. */
static void drm_sched_teardown_entity_after_sched(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	drm_mock_sched_fini(fx->sched);
	KUNIT_EXPECT_NULL(test, fx->entity->base.rq);
	drm_mock_sched_entity_free(fx->entity);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), -ECANCELED);
}

static struct kunit_case drm_sched_teardown_cases[] = {
	KUNIT_CASE(drm_sched_teardown_flush_drains),
	KUNIT_CASE(drm_sched_teardown_flush_waits),
	KUNIT_CASE(drm_sched_teardown_flush_empty),
	KUNIT_CASE_PARAM(drm_sched_teardown_kill_queued, kill_gen_params),
	KUNIT_CASE(drm_sched_teardown_kill_scheduled_error),
	KUNIT_CASE(drm_sched_teardown_kill_chained),
	KUNIT_CASE(drm_sched_teardown_kill_waits_for_sched_dep),
	KUNIT_CASE(drm_sched_teardown_destroy_runnable),
	KUNIT_CASE(drm_sched_teardown_entity_gone_job_runs),
	KUNIT_CASE_PARAM(drm_sched_teardown_push_after_kill, late_gen_params),
	KUNIT_CASE_PARAM(drm_sched_teardown_fini_pending, fini_gen_params),
	KUNIT_CASE_PARAM(drm_sched_teardown_fini_cancel_job, cancel_gen_params),
	KUNIT_CASE(drm_sched_teardown_fini_cancel_skips_finished),
	KUNIT_CASE(drm_sched_teardown_fini_after_stop),
	KUNIT_CASE(drm_sched_teardown_entity_kill_exported),
	KUNIT_CASE(drm_sched_teardown_fences_outlive),
	KUNIT_CASE(drm_sched_teardown_entity_after_sched),
	{}
};

static struct kunit_suite drm_sched_teardown_suite = {
	.name = "drm_sched_teardown",
	.init = drm_mock_sched_fixture_init,
	.test_cases = drm_sched_teardown_cases,
};

kunit_test_suite(drm_sched_teardown_suite);
