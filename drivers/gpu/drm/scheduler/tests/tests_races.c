// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Races between the scheduler's workers, the timeout handler and teardown,
 * each forced into the interleaving that once broke it: a handler that
 * restarts the scheduler and waits until the free worker released the job,
 * a free_job that closes the entity whose jobs drm_sched_fini() is still
 * cancelling, dependencies that signal on either side of a kill.
 *
 * Most cases are deterministic on one CPU as on several: the order is
 * forced by hooks, not by timing. The timeout case that needs two workers
 * truly in parallel runs on a non-ordered workqueue and repeats its round
 * many times; on one CPU it still checks the outcome of every round.
 */

#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "sched_tests.h"

#define RACE_TIMEOUT	msecs_to_jiffies(20)
#define RACE_ROUNDS	40

/* Every case starts from a scheduler with a short timeout and one entity. */
static int drm_sched_races_suite_init(struct kunit *test)
{
	struct drm_mock_sched_params params = { .timeout = RACE_TIMEOUT };

	test->priv = drm_mock_sched_fixture_new(test, &params);
	return 0;
}

static bool on_pending_list(struct drm_mock_scheduler *sched,
			    struct drm_mock_sched_job *job)
{
	struct drm_sched_job *pos;
	bool found = false;

	spin_lock(&sched->base.job_list_lock);
	list_for_each_entry(pos, &sched->base.pending_list, list)
		found |= pos == &job->base;
	spin_unlock(&sched->base.job_list_lock);
	return found;
}

static struct drm_mock_sched_job *submit_hung(struct kunit *test,
					      struct drm_mock_sched_entity *entity)
{
	struct drm_mock_sched_job *job = drm_mock_sched_job_new(test, entity);

	job->hang = true;
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	return job;
}

/*
 * The scheduler still runs and frees a plain job. The job runs under the
 * suite's short timeout: should a slow CPU let it expire, NO_HANG lets it
 * run on rather than handing it to the case's handler.
 */
static void expect_scheduler_works(struct kunit *test,
				   struct drm_mock_scheduler *sched,
				   struct drm_mock_sched_entity *entity)
{
	struct drm_mock_sched_job *job;

	flush_delayed_work(&sched->base.work_tdr);
	drm_mock_sched_set_timedout(sched, DRM_GPU_SCHED_STAT_NO_HANG, false, NULL, NULL);
	job = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	drm_mock_sched_advance(sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), 0);
}

/* The timeout handler and the job it was given ---------------------------- */

struct restart_probe {
	atomic_t calls;
	bool freed_in_handler;
};

/*
 * What most drivers do in timedout_job: stop, reset, start. Then wait until
 * the free worker released the job, which start made possible, so that the
 * handler returns to a scheduler whose job is gone.
 */
static void restart_and_wait_for_free(struct drm_mock_scheduler *sched,
				      struct drm_mock_sched_job *job, void *data)
{
	struct restart_probe *probe = data;

	if (atomic_inc_return(&probe->calls) > 1)
		return;

	drm_sched_stop(&sched->base, &job->base);
	drm_mock_sched_hw_reset(sched, -EIO);
	drm_sched_start(&sched->base);
	probe->freed_in_handler =
		wait_event_timeout(sched->wq, atomic_read(&job->free_calls) > 0,
				   DRM_MOCK_WAIT) > 0;
}

/*
 * A handler that restarts the scheduler may see its job freed before it
 * returns; the scheduler must not touch the job after the handler.
 */
static void drm_sched_race_tdr_restart_frees_job(struct kunit *test)
{
	struct drm_mock_sched_fixture *ctx = test->priv;
	struct restart_probe probe = {};
	struct drm_mock_sched_job *job;

	drm_mock_sched_set_timedout(ctx->sched, DRM_GPU_SCHED_STAT_RESET, false,
				    restart_and_wait_for_free, &probe);
	job = submit_hung(test, ctx->entity);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(ctx->sched, 1, DRM_MOCK_WAIT));
	/* Let the handler's caller finish what it does after the handler. */
	flush_delayed_work(&ctx->sched->base.work_tdr);

	KUNIT_EXPECT_TRUE(test, probe.freed_in_handler);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_calls), 1);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), -ECANCELED);
	KUNIT_EXPECT_FALSE(test, on_pending_list(ctx->sched, job));
	expect_scheduler_works(test, ctx->sched, ctx->entity);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->sched->double_free), 0);
}

/*
 * A handler that fails the job's hardware fence and cleans the job up
 * itself (the mock does when it has no hook) returns with the job freed;
 * the scheduler survives that and keeps scheduling.
 */
static void drm_sched_race_tdr_driver_frees_job(struct kunit *test)
{
	struct drm_mock_sched_fixture *ctx = test->priv;
	struct drm_mock_sched_job *job;

	drm_mock_sched_set_timedout(ctx->sched, DRM_GPU_SCHED_STAT_RESET, true,
				    NULL, NULL);
	job = submit_hung(test, ctx->entity);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(ctx->sched, 1, DRM_MOCK_WAIT));
	flush_delayed_work(&ctx->sched->base.work_tdr);

	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_calls), 1);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), -ETIMEDOUT);
	KUNIT_EXPECT_FALSE(test, on_pending_list(ctx->sched, job));
	expect_scheduler_works(test, ctx->sched, ctx->entity);
}

/*
 * NO_HANG puts the job back at the head of the pending list: it is the one
 * timed out again, and it is freed once when it finally completes.
 */
static void drm_sched_race_tdr_no_hang_reinserts(struct kunit *test)
{
	struct drm_mock_sched_fixture *ctx = test->priv;
	struct drm_mock_sched_job *first, *second;

	drm_mock_sched_set_timedout(ctx->sched, DRM_GPU_SCHED_STAT_NO_HANG, false,
				    NULL, NULL);
	first = submit_hung(test, ctx->entity);
	second = submit_hung(test, ctx->entity);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(ctx->sched, 2, DRM_MOCK_WAIT));
	/* Back at the head each time: the younger job never timed out. */
	KUNIT_EXPECT_GE(test, atomic_read(&first->timedout_count), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&second->timedout_count), 0);

	drm_mock_sched_job_complete(first, 0);
	drm_mock_sched_job_complete(second, 0);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(first, DRM_MOCK_WAIT));
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(second, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(&first->free_calls), 1);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(first), 0);
}

/*
 * NO_HANG for a job that finished while the handler ran: nobody else saw it
 * finish, so the scheduler frees it itself once it is back on the list.
 */
static void drm_sched_race_tdr_no_hang_finished_meanwhile(struct kunit *test)
{
	struct drm_mock_sched_fixture *ctx = test->priv;
	struct drm_mock_sched_job *job;

	drm_mock_sched_set_timedout(ctx->sched, DRM_GPU_SCHED_STAT_NO_HANG, true,
				    NULL, NULL);
	job = submit_hung(test, ctx->entity);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(ctx->sched, 1, DRM_MOCK_WAIT));
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_calls), 1);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), -ETIMEDOUT);
}

/* The timer against completions on another worker ------------------------- */

struct advance_work {
	struct work_struct work;
	struct drm_mock_scheduler *sched;
};

static void advance_one(struct work_struct *work)
{
	struct advance_work *aw = container_of(work, struct advance_work, work);

	drm_mock_sched_advance(aw->sched, 1);
}

KUNIT_DEFINE_ACTION_WRAPPER(destroy_workqueue_action, destroy_workqueue,
			    struct workqueue_struct *);

/*
 * On a non-ordered submit workqueue the free worker retiring one job and
 * the run worker starting the next run in parallel. Whatever their order,
 * the new job must be watched by the timeout: a hung job always times out.
 */
static void drm_sched_race_timeout_survives_retire(struct kunit *test)
{
	struct drm_mock_sched_params params = { .timeout = RACE_TIMEOUT };
	struct drm_mock_sched_entity *entity;
	struct drm_mock_scheduler *sched;
	struct advance_work aw;
	unsigned int round;
	int ret;

	params.submit_wq = alloc_workqueue("drm_sched_race", WQ_UNBOUND, 0);
	KUNIT_ASSERT_NOT_NULL(test, params.submit_wq);
	ret = kunit_add_action_or_reset(test, destroy_workqueue_action,
					params.submit_wq);
	KUNIT_ASSERT_EQ(test, ret, 0);
	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	drm_mock_sched_set_timedout(sched, DRM_GPU_SCHED_STAT_NO_HANG, false,
				    NULL, NULL);
	aw.sched = sched;
	INIT_WORK_ONSTACK(&aw.work, advance_one);

	for (round = 0; round < RACE_ROUNDS; round++) {
		struct drm_mock_sched_job *done, *hung;
		int timeouts = atomic_read(&sched->timedout_count);

		done = drm_mock_sched_job_new(test, entity);
		drm_mock_sched_job_submit(done);
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(done, DRM_MOCK_WAIT));

		/* Retire @done on another CPU while @hung goes to the hardware. */
		hung = drm_mock_sched_job_new(test, entity);
		hung->hang = true;
		queue_work(system_unbound_wq, &aw.work);
		drm_mock_sched_job_submit(hung);
		flush_work(&aw.work);

		KUNIT_ASSERT_TRUE_MSG(test,
				      drm_mock_sched_wait_timeouts(sched, timeouts + 1,
								   DRM_MOCK_WAIT),
				      "round %u: the hung job never timed out", round);
		drm_mock_sched_job_complete(hung, 0);
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(hung, DRM_MOCK_WAIT));
	}
	destroy_work_on_stack(&aw.work);
}

/* Scheduler teardown against entity teardown ------------------------------ */

struct entity_close {
	struct drm_mock_sched_entity *entity;
	bool closed;
};

/* What a file close does to its entity, done inside drm_sched_fini(). */
static void close_entity_on_free(struct drm_mock_sched_job *job, void *data)
{
	struct entity_close *close = data;

	if (close->closed)
		return;
	close->closed = true;
	drm_sched_entity_fini(&close->entity->base);
	kfree(close->entity);
}

/*
 * drm_sched_fini() cancels an entity's queued jobs while the entity is torn
 * down and freed from the first cancelled job's free_job: every job is
 * cancelled and freed exactly once, and the freed entity is never touched.
 */
static void drm_sched_race_fini_vs_entity_fini(struct kunit *test)
{
	struct drm_mock_sched_fixture *ctx = test->priv;
	struct drm_gpu_scheduler **list;
	struct drm_mock_sched_job *jobs[3];
	struct entity_close close = {};
	unsigned int i;

	list = kunit_kcalloc(test, 1, sizeof(*list), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, list);
	list[0] = &ctx->sched->base;
	/* Not test-managed: the hook frees it as a driver would. */
	close.entity = kzalloc(sizeof(*close.entity), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, close.entity);
	close.entity->test = test;
	KUNIT_ASSERT_EQ(test, drm_sched_entity_init(&close.entity->base,
						    DRM_SCHED_PRIORITY_NORMAL,
						    list, 1, NULL), 0);

	/* Keep the jobs queued in the entity. */
	drm_sched_wqueue_stop(&ctx->sched->base);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = drm_mock_sched_job_new(test, close.entity);
		drm_mock_sched_job_submit(jobs[i]);
	}
	jobs[0]->free_hook = close_entity_on_free;
	jobs[0]->free_data = &close;

	drm_mock_sched_fini(ctx->sched);

	KUNIT_EXPECT_TRUE(test, close.closed);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(jobs[i], DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->free_calls), 1);
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]), -ECANCELED);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->sched->double_free), 0);
}

/*
 * An entity that moved to another scheduler is not detached by the
 * teardown of the one it left: it keeps running on its new scheduler.
 */
static void drm_sched_race_fini_leaves_moved_entity(struct kunit *test)
{
	struct drm_mock_sched_fixture *ctx = test->priv;
	struct drm_mock_scheduler *other = drm_mock_sched_new(test, MAX_SCHEDULE_TIMEOUT);
	struct drm_mock_sched_job *busy, *moved;
	struct drm_mock_sched_entity *entity;
	struct drm_gpu_scheduler **list;

	list = kunit_kcalloc(test, 2, sizeof(*list), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, list);
	list[0] = &ctx->sched->base;
	list[1] = &other->base;
	entity = drm_mock_sched_entity_new_multi(test, DRM_SCHED_PRIORITY_NORMAL,
						 list, 2, NULL);

	/* Load the first scheduler, so the idle entity moves to the other. */
	busy = submit_hung(test, ctx->entity);
	moved = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(moved);
	KUNIT_ASSERT_PTR_EQ(test, moved->base.sched, &other->base);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(moved, DRM_MOCK_WAIT));

	drm_mock_sched_fini(ctx->sched);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(busy, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(busy), -ECANCELED);

	KUNIT_ASSERT_NOT_NULL(test, READ_ONCE(entity->base.rq));
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(entity->base.rq)->sched, &other->base);
	drm_mock_sched_advance(other, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(moved, DRM_MOCK_WAIT));
	expect_scheduler_works(test, other, entity);
}

/*
 * An entity does not move to another scheduler while its last job still
 * runs, even when the other scheduler is idle: the job that left the queue
 * is seen in last_scheduled.
 */
static void drm_sched_race_no_move_while_last_job_runs(struct kunit *test)
{
	struct drm_mock_sched_fixture *ctx = test->priv;
	struct drm_mock_scheduler *other = drm_mock_sched_new(test, MAX_SCHEDULE_TIMEOUT);
	struct drm_mock_sched_job *running, *next;
	struct drm_mock_sched_entity *entity;
	struct drm_gpu_scheduler **list;

	list = kunit_kcalloc(test, 2, sizeof(*list), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, list);
	list[0] = &ctx->sched->base;
	list[1] = &other->base;
	entity = drm_mock_sched_entity_new_multi(test, DRM_SCHED_PRIORITY_NORMAL,
						 list, 2, NULL);

	running = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(running);
	KUNIT_ASSERT_PTR_EQ(test, running->base.sched, &ctx->sched->base);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(running, DRM_MOCK_WAIT));

	next = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(next);
	KUNIT_EXPECT_PTR_EQ(test, next->base.sched, &ctx->sched->base);

	drm_mock_sched_advance(ctx->sched, 2);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(running, DRM_MOCK_WAIT));
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(next, DRM_MOCK_WAIT));
	drm_mock_sched_advance(ctx->sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(next, DRM_MOCK_WAIT));
}

/* Dependencies on either side of a kill ----------------------------------- */

struct kill_order_case {
	const char *desc;
	bool deps_first;	/* dependencies signal before the kill */
	bool later_dep_first;	/* the second job's dependency signals first */
};

static const struct kill_order_case kill_order_cases[] = {
	{ "deps-signal-before-kill", true, false },
	{ "deps-signal-after-kill", false, false },
	{ "second-dep-signals-first", false, true },
	{ "second-dep-first-before-kill", true, true },
};

KUNIT_ARRAY_PARAM_DESC(kill_order, kill_order_cases, desc);

/*
 * Killing an entity whose queued jobs' dependencies signal before or after
 * the kill, in either order: each job is cancelled exactly once with
 * -ESRCH, never before its own dependency, and never before the job queued
 * ahead of it.
 */
static void drm_sched_race_kill_vs_deps(struct kunit *test)
{
	const struct kill_order_case *p = test->param_value;
	struct drm_mock_sched_fixture *ctx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct drm_mock_sched_job *jobs[2];
	struct dma_fence *deps[2];
	unsigned int i, order[2];

	order[0] = p->later_dep_first ? 1 : 0;
	order[1] = 1 - order[0];

	/* Queued, never run: the run worker is held for the whole case. */
	drm_sched_wqueue_stop(&ctx->sched->base);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = drm_mock_sched_job_new(test, ctx->entity);
		deps[i] = drm_mock_timeline_fence(tl, i + 1);
		KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&jobs[i]->base,
								   dma_fence_get(deps[i])), 0);
		drm_mock_sched_job_submit(jobs[i]);
	}

	if (p->deps_first)
		for (i = 0; i < 2; i++)
			drm_mock_fence_signal(deps[order[i]], 0);

	drm_sched_entity_fini(&ctx->entity->base);
	ctx->entity->destroyed = true;

	if (!p->deps_first) {
		drm_mock_fence_signal(deps[order[0]], 0);
		/* The second job lacks a dependency or the first job's end. */
		KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(jobs[1]));
		if (order[0] == 1)
			KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(jobs[0]));
		drm_mock_fence_signal(deps[order[1]], 0);
	}

	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(jobs[i], DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->free_calls), 1);
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]), -ESRCH);
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->run_count), 0);
	}
	KUNIT_EXPECT_LE(test, ktime_compare(jobs[0]->finished->timestamp,
					    jobs[1]->finished->timestamp), 0);
	drm_sched_wqueue_start(&ctx->sched->base);
}

/*
 * A job pushed to an entity that was already killed is cancelled after its
 * dependency, once, whether the dependency signals before the push or after.
 */
static void drm_sched_race_push_after_kill(struct kunit *test)
{
	struct drm_mock_sched_fixture *ctx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct drm_mock_sched_job *early, *late;
	struct dma_fence *dep = drm_mock_timeline_fence(tl, 1);
	struct dma_fence *signalled = drm_mock_timeline_fence(tl, 2);

	drm_mock_fence_signal(signalled, 0);
	early = drm_mock_sched_job_new(test, ctx->entity);
	late = drm_mock_sched_job_new(test, ctx->entity);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&early->base,
							   dma_fence_get(dep)), 0);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&late->base,
							   dma_fence_get(signalled)), 0);
	drm_mock_sched_job_arm(early);
	drm_mock_sched_job_arm(late);

	drm_sched_entity_fini(&ctx->entity->base);
	ctx->entity->destroyed = true;
	drm_mock_sched_job_push(early);
	drm_mock_sched_job_push(late);

	/* @late waits for @early, which waits for @dep. */
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(late));
	drm_mock_fence_signal(dep, 0);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(early, DRM_MOCK_WAIT));
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(late, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(&early->free_calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&late->free_calls), 1);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(early), -ESRCH);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(late), -ESRCH);
}

static struct kunit_case drm_sched_races_cases[] = {
	KUNIT_CASE(drm_sched_race_tdr_restart_frees_job),
	KUNIT_CASE(drm_sched_race_tdr_driver_frees_job),
	KUNIT_CASE(drm_sched_race_tdr_no_hang_reinserts),
	KUNIT_CASE(drm_sched_race_tdr_no_hang_finished_meanwhile),
	KUNIT_CASE_SLOW(drm_sched_race_timeout_survives_retire),
	KUNIT_CASE(drm_sched_race_fini_vs_entity_fini),
	KUNIT_CASE(drm_sched_race_fini_leaves_moved_entity),
	KUNIT_CASE(drm_sched_race_no_move_while_last_job_runs),
	KUNIT_CASE_PARAM(drm_sched_race_kill_vs_deps, kill_order_gen_params),
	KUNIT_CASE(drm_sched_race_push_after_kill),
	{}
};

static struct kunit_suite drm_sched_races_suite = {
	.name = "drm_sched_races",
	.init = drm_sched_races_suite_init,
	.test_cases = drm_sched_races_cases,
};

kunit_test_suite(drm_sched_races_suite);
