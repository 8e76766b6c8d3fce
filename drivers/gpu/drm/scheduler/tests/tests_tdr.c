// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Timeout detection and recovery: when timedout_job is called and with
 * which job, what its return value does to the timer, and the recovery
 * interface drivers call from it (stop, karma, resubmit, start).
 *
 * Negative checks ("no further timeout") do not wait for time to pass: they
 * flush the timeout work twice, which runs the handler at once if the timer
 * was armed and only waits for a running instance otherwise.
 */

#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "sched_tests.h"

#define SHORT_TIMEOUT	msecs_to_jiffies(20)
#define LONG_TIMEOUT	(60 * HZ)

/*
 * Suite init of drm_sched_tdr: the scheduler and its entity, with a timeout
 * short enough to fire by itself within the test.
 */
static int tdr_suite_init(struct kunit *test)
{
	const struct drm_mock_sched_params params = { .timeout = SHORT_TIMEOUT };

	test->priv = drm_mock_sched_fixture_new(test, &params);
	return 0;
}

/*
 * Suite init of drm_sched_tdr_on_demand: a timeout that never expires
 * during a test, so that timedout_job only runs when the case asks for it.
 */
static int tdr_on_demand_suite_init(struct kunit *test)
{
	const struct drm_mock_sched_params params = { .timeout = LONG_TIMEOUT };

	test->priv = drm_mock_sched_fixture_new(test, &params);
	return 0;
}

static struct drm_mock_sched_job *hung_job(struct kunit *test,
					   struct drm_mock_sched_entity *entity)
{
	struct drm_mock_sched_job *job = drm_mock_sched_job_new(test, entity);

	job->hang = true;
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	return job;
}

static void flush_tdr(struct drm_mock_scheduler *sched)
{
	flush_delayed_work(&sched->base.work_tdr);
	flush_delayed_work(&sched->base.work_tdr);
}

/* Is @job on the scheduler's pending list right now? */
static bool job_pending(struct drm_mock_scheduler *sched,
			struct drm_mock_sched_job *job)
{
	struct drm_sched_job *pos;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&sched->base.job_list_lock, flags);
	list_for_each_entry(pos, &sched->base.pending_list, list)
		if (pos == &job->base)
			found = true;
	spin_unlock_irqrestore(&sched->base.job_list_lock, flags);
	return found;
}

/* Detection ------------------------------------------------------------- */

/* A job that never completes makes timedout_job run with that very job. */
static void drm_sched_tdr_fires(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_ENODEV, false,
				    NULL, NULL);
	job = hung_job(test, fx->entity);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(fx->sched, 1, DRM_MOCK_WAIT));
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(fx->sched->last_timedout), job);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->timedout_count), 1);
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(job));

	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_complete(job, 0));
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
}

/* The oldest of several stuck jobs is the one handed to timedout_job. */
static void drm_sched_tdr_oldest_job(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *first, *second;

	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_ENODEV, false,
				    NULL, NULL);
	drm_sched_wqueue_stop(&fx->sched->base);
	first = drm_mock_sched_job_new(test, fx->entity);
	first->hang = true;
	drm_mock_sched_job_submit(first);
	second = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(second);
	drm_sched_wqueue_start(&fx->sched->base);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(fx->sched, 1, DRM_MOCK_WAIT));
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(fx->sched->last_timedout), first);
	KUNIT_EXPECT_EQ(test, atomic_read(&second->timedout_count), 0);
	drm_mock_sched_job_complete(first, 0);
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(second, DRM_MOCK_WAIT));
}

struct pending_probe {
	struct drm_mock_scheduler *sched;
	bool on_list;
	bool done;
};

static void probe_pending(struct drm_mock_scheduler *sched,
			  struct drm_mock_sched_job *job, void *data)
{
	struct pending_probe *probe = data;

	if (!probe->done) {
		probe->on_list = job_pending(sched, job);
		probe->done = true;
	}
}

/* During timedout_job the job is off the pending list. */
static void drm_sched_tdr_job_off_pending(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct pending_probe probe = {};
	struct drm_mock_sched_job *job;

	/* The hook keeps the job: NO_HANG gives it back to the scheduler. */
	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_NO_HANG, false,
				    probe_pending, &probe);
	job = drm_mock_sched_job_new(test, fx->entity);
	job->hang = true;
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_TRUE(test, job_pending(fx->sched, job));

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(fx->sched, 1, DRM_MOCK_WAIT));
	KUNIT_EXPECT_TRUE(test, probe.done);
	KUNIT_EXPECT_FALSE(test, probe.on_list);
	drm_mock_sched_job_complete(job, 0);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));
}

struct status_case {
	const char *desc;
	enum drm_gpu_sched_stat status;
};

static const struct status_case status_cases[] = {
	{ "nominal", DRM_GPU_SCHED_STAT_NOMINAL },
	{ "enodev", DRM_GPU_SCHED_STAT_ENODEV },
	{ "no-hang", DRM_GPU_SCHED_STAT_NO_HANG },
};

KUNIT_ARRAY_PARAM_DESC(status, status_cases, desc);

/*
 * A handler that fails the hung job's hardware fence with -ETIMEDOUT
 * finishes the job with that error and lets it be freed.
 */
static void drm_sched_tdr_fail_hw(struct kunit *test)
{
	const struct status_case *p = test->param_value;
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job, *next;

	drm_mock_sched_set_timedout(fx->sched, p->status, true, NULL, NULL);
	job = hung_job(test, fx->entity);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->timedout_count), 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));

	/*
	 * Unless the device is gone, the scheduler keeps working. The next
	 * job runs under the same short timeout; should a slow CPU let it
	 * expire, NO_HANG lets the job run on instead of failing it.
	 */
	if (p->status != DRM_GPU_SCHED_STAT_ENODEV) {
		drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_NO_HANG, false,
					    NULL, NULL);
		next = drm_mock_sched_job_new(test, fx->entity);
		drm_mock_sched_job_submit(next);
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(next,
									  DRM_MOCK_WAIT));
		drm_mock_sched_advance(fx->sched, 1);
		KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(next,
									 DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(next), 0);
	}
}

/*
 * NO_HANG puts the job back and re-arms the timer: a job that stays stuck
 * times out again.
 */
static void drm_sched_tdr_no_hang_rearms(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_NO_HANG, false,
				    NULL, NULL);
	job = hung_job(test, fx->entity);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(fx->sched, 1, DRM_MOCK_WAIT));
	flush_tdr(fx->sched);
	KUNIT_EXPECT_GE(test, atomic_read(&fx->sched->timedout_count), 2);
	KUNIT_EXPECT_GE(test, atomic_read(&job->timedout_count), 2);
	drm_mock_sched_job_complete(job, 0);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
}

/* ENODEV leaves the timer disarmed: no second call however long we wait. */
static void drm_sched_tdr_enodev_disarms(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_ENODEV, false,
				    NULL, NULL);
	job = hung_job(test, fx->entity);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(fx->sched, 1, DRM_MOCK_WAIT));
	flush_tdr(fx->sched);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->sched->timedout_count), 1);
	drm_mock_sched_job_complete(job, 0);
}

/*
 * The timeout measures time since the last progress, not since the first
 * submission: every completed job moves the deadline to a full timeout
 * after its completion, while the next job is still pending.
 */
static void drm_sched_tdr_since_last_progress(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct delayed_work *tdr = &fx->sched->base.work_tdr;
	struct drm_mock_sched_job *jobs[4];
	unsigned long before;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = drm_mock_sched_job_new(test, fx->entity);
		drm_mock_sched_job_submit(jobs[i]);
	}
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(jobs[0], DRM_MOCK_WAIT));
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		/* Let jiffies move on from when the timer was armed. */
		schedule_timeout_uninterruptible(2);
		before = jiffies;
		drm_mock_sched_advance(fx->sched, 1);
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(jobs[i], DRM_MOCK_WAIT));
		if (i + 1 == ARRAY_SIZE(jobs))
			break;
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(jobs[i + 1],
									  DRM_MOCK_WAIT));
		KUNIT_EXPECT_TRUE(test, delayed_work_pending(tdr));
		KUNIT_EXPECT_TRUE_MSG(test, time_after_eq(READ_ONCE(tdr->timer.expires),
							  before + LONG_TIMEOUT),
				      "job %u: the deadline did not move on at its completion", i);
	}
	/* Nothing pending: no deadline. */
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(tdr));
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->sched->timedout_count), 0);
	for (i = 0; i < ARRAY_SIZE(jobs); i++)
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]), 0);
}

/* With nothing pending the handler never sees a job. */
static void drm_sched_tdr_idle_quiet(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));

	flush_tdr(fx->sched);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->sched->timedout_count), 0);
}

/* MAX_SCHEDULE_TIMEOUT disables the TDR: a stuck job is left alone. */
static void drm_sched_tdr_disabled(struct kunit *test)
{
	const struct drm_mock_sched_params params = { .timeout = MAX_SCHEDULE_TIMEOUT };
	struct drm_mock_sched_job *job;
	struct drm_mock_sched_fixture *fx;

	/* Its own scheduler, without a timeout. */
	fx = drm_mock_sched_fixture_new(test, &params);
	job = hung_job(test, fx->entity);
	flush_tdr(fx->sched);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->sched->timedout_count), 0);
	drm_mock_sched_job_complete(job, 0);
}

/*
 * While suspended a short timeout does not fire, even after many times its
 * length; resuming with the reported remainder brings it back.
 */
static void drm_sched_tdr_suspended_quiet(struct kunit *test)
{
	const struct drm_mock_sched_params params = { .timeout = HZ / 2 };
	struct drm_mock_sched_job *job;
	unsigned long remaining;
	struct drm_mock_sched_fixture *fx;

	/* Its own scheduler: a timeout long enough to be suspended in time. */
	fx = drm_mock_sched_fixture_new(test, &params);
	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_ENODEV, true,
				    NULL, NULL);
	job = hung_job(test, fx->entity);
	remaining = drm_sched_suspend_timeout(&fx->sched->base);
	if (atomic_read(&fx->sched->timedout_count))
		kunit_skip(test, "the timeout fired before it could be suspended");

	KUNIT_EXPECT_FALSE(test, drm_mock_sched_wait_timeouts(fx->sched, 1, 2 * HZ));
	drm_sched_resume_timeout(&fx->sched->base, remaining);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(fx->sched, 1, DRM_MOCK_WAIT));
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
}

/* The handler on demand ------------------------------------------------- */

/* drm_sched_fault() runs the handler now, long before the timeout. */
static void drm_sched_tdr_fault(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_NOMINAL, true,
				    NULL, NULL);
	job = hung_job(test, fx->entity);
	drm_sched_fault(&fx->sched->base);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(fx->sched, 1, DRM_MOCK_WAIT));
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), -ETIMEDOUT);
}

/* drm_sched_tdr_queue_imm() zeroes the timeout and runs the handler now. */
static void drm_sched_tdr_imm(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;

	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_ENODEV, true,
				    NULL, NULL);
	job = hung_job(test, fx->entity);
	drm_sched_tdr_queue_imm(&fx->sched->base);
	KUNIT_EXPECT_EQ(test, fx->sched->base.timeout, 0);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(fx->sched, 1, DRM_MOCK_WAIT));
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
}

/*
 * Suspending the timeout reports the time left, within the timeout, and a
 * resume with a tiny remainder fires the handler promptly even though the
 * configured timeout is a minute.
 */
static void drm_sched_tdr_suspend_resume(struct kunit *test)
{
	struct drm_mock_sched_fixture *fx = test->priv;
	struct drm_mock_sched_job *job;
	unsigned long remaining;

	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_ENODEV, true,
				    NULL, NULL);
	job = hung_job(test, fx->entity);

	remaining = drm_sched_suspend_timeout(&fx->sched->base);
	KUNIT_EXPECT_GT(test, remaining, 0);
	KUNIT_EXPECT_LE(test, remaining, LONG_TIMEOUT);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->sched->timedout_count), 0);

	drm_sched_resume_timeout(&fx->sched->base, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_timeouts(fx->sched, 1, DRM_MOCK_WAIT));
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
}

/* Recovery -------------------------------------------------------------- */

struct recovery {
	bool karma;
	bool resubmit;
	int reset_error;
	atomic_t calls;
};

/* What a driver's timedout_job typically does around a GPU reset. */
static void recover(struct drm_mock_scheduler *sched,
		    struct drm_mock_sched_job *job, void *data)
{
	struct recovery *rec = data;

	if (atomic_inc_return(&rec->calls) > 1)
		return;

	drm_sched_stop(&sched->base, &job->base);
	if (rec->karma)
		drm_sched_increase_karma(&job->base);
	drm_mock_sched_hw_reset(sched, rec->reset_error);
	WRITE_ONCE(job->hang, false);
	if (rec->resubmit)
		drm_sched_resubmit_jobs(&sched->base);
	drm_sched_start(&sched->base);
}

struct reset_case {
	const char *desc;
	int error;
};

static const struct reset_case reset_cases[] = {
	{ "EIO", -EIO },
	{ "ECANCELED", -ECANCELED },
	{ "EDEADLK", -EDEADLK },
};

KUNIT_ARRAY_PARAM_DESC(reset, reset_cases, desc);

/*
 * Stop, hardware reset, start without resubmission: stop detached the jobs
 * from their hardware fences, so the reset's error is never seen; start
 * finds them without a hardware fence and finishes them with -ECANCELED.
 * Nothing runs twice.
 */
static void drm_sched_tdr_reset_no_resubmit(struct kunit *test)
{
	const struct reset_case *p = test->param_value;
	const struct drm_mock_sched_params params = { .timeout = LONG_TIMEOUT };
	struct recovery rec = { .reset_error = p->error };
	struct drm_mock_sched_job *jobs[3];
	struct drm_mock_sched_fixture *fx;
	unsigned int i;

	fx = drm_mock_sched_fixture_new(test, &params);
	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_NOMINAL, false,
				    recover, &rec);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = drm_mock_sched_job_new(test, fx->entity);
		jobs[i]->hang = !i;
		drm_mock_sched_job_submit(jobs[i]);
	}
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 3, DRM_MOCK_WAIT));
	drm_sched_fault(&fx->sched->base);

	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(jobs[i],
									 DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]), -ECANCELED);
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->run_count), 1);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&rec.calls), 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_wait_frees(fx->sched, 3, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(fx->sched), 0);
}

/*
 * Stop, reset, resubmit, start: every pending job runs a second time, in
 * the original order, and completes normally on the fresh hardware.
 */
static void drm_sched_tdr_resubmit(struct kunit *test)
{
	const struct drm_mock_sched_params params = {
		.timeout = LONG_TIMEOUT,
		.hang_limit = 5,
	};
	struct recovery rec = { .resubmit = true, .reset_error = -EIO };
	struct drm_mock_sched_job *jobs[3];
	struct drm_mock_sched_fixture *fx;
	unsigned int i;

	fx = drm_mock_sched_fixture_new(test, &params);
	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_NOMINAL, false,
				    recover, &rec);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = drm_mock_sched_job_new(test, fx->entity);
		jobs[i]->hang = !i;
		drm_mock_sched_job_submit(jobs[i]);
	}
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 3, DRM_MOCK_WAIT));
	drm_sched_fault(&fx->sched->base);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 6, DRM_MOCK_WAIT));
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->run_count), 2);
		KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(jobs[i]));
		if (i)
			KUNIT_EXPECT_LT(test, drm_mock_sched_job_order(jobs[i - 1]),
					drm_mock_sched_job_order(jobs[i]));
	}
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 3), 3);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(jobs[i],
									 DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]), 0);
	}
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_wait_frees(fx->sched, 3, DRM_MOCK_WAIT));
}

struct karma_case {
	const char *desc;
	unsigned int hang_limit;
	bool guilty;
};

static const struct karma_case karma_cases[] = {
	{ "limit-0-guilty", 0, true },
	{ "limit-1-innocent", 1, false },
	{ "limit-3-innocent", 3, false },
};

KUNIT_ARRAY_PARAM_DESC(karma, karma_cases, desc);

/*
 * Karma: one hang raises the bad job's karma to 1. Above the hang limit the
 * entity is marked guilty, its resubmitted job finishes with -ECANCELED and
 * its later jobs too, while another entity's job is unaffected.
 */
static void drm_sched_tdr_karma(struct kunit *test)
{
	const struct karma_case *p = test->param_value;
	const struct drm_mock_sched_params params = {
		.timeout = LONG_TIMEOUT,
		.hang_limit = p->hang_limit,
	};
	struct recovery rec = { .karma = true, .resubmit = true, .reset_error = -EIO };
	struct drm_mock_sched_entity *bad_entity, *innocent;
	struct drm_mock_sched_job *bad, *other, *later;
	struct drm_gpu_scheduler **list;
	struct drm_mock_sched_fixture *fx;
	atomic_t *guilty;

	fx = drm_mock_sched_fixture_new(test, &params);
	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_NOMINAL, false,
				    recover, &rec);
	guilty = kunit_kzalloc(test, sizeof(*guilty), GFP_KERNEL);
	list = kunit_kcalloc(test, 1, sizeof(*list), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, guilty);
	KUNIT_ASSERT_NOT_NULL(test, list);
	list[0] = &fx->sched->base;
	bad_entity = drm_mock_sched_entity_new_multi(test, DRM_SCHED_PRIORITY_NORMAL,
						     list, 1, guilty);
	innocent = fx->entity;

	bad = drm_mock_sched_job_new(test, bad_entity);
	bad->hang = true;
	drm_mock_sched_job_submit(bad);
	other = drm_mock_sched_job_new(test, innocent);
	drm_mock_sched_job_submit(other);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 2, DRM_MOCK_WAIT));
	drm_sched_fault(&fx->sched->base);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 4, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(&bad->base.karma), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(guilty), p->guilty ? 1 : 0);

	drm_mock_sched_advance(fx->sched, 2);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(bad, DRM_MOCK_WAIT));
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(other, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(bad), p->guilty ? -ECANCELED : 0);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(other), 0);

	later = drm_mock_sched_job_new(test, bad_entity);
	drm_mock_sched_job_submit(later);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(later, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, later->error_at_run, p->guilty ? -ECANCELED : 0);
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(later, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(later), p->guilty ? -ECANCELED : 0);
}

/* drm_sched_increase_karma() on its own: karma grows by one per call. */
static void drm_sched_tdr_karma_counts(struct kunit *test)
{
	const struct drm_mock_sched_params params = {
		.timeout = MAX_SCHEDULE_TIMEOUT,
		.hang_limit = 10,
	};
	struct drm_mock_sched_job *job;
	struct drm_mock_sched_fixture *fx;

	fx = drm_mock_sched_fixture_new(test, &params);
	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	drm_sched_increase_karma(&job->base);
	drm_sched_increase_karma(&job->base);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->base.karma), 2);
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), 0);
}

/*
 * drm_sched_stop() from the test thread detaches the running jobs from
 * their hardware fences and gives their credits back: completions during
 * the stop are not seen. Without a resubmission drm_sched_start() finds
 * them without a hardware fence and finishes them with -ECANCELED.
 */
static void drm_sched_tdr_stop_start(struct kunit *test)
{
	const struct drm_mock_sched_params params = { .timeout = MAX_SCHEDULE_TIMEOUT };
	struct drm_mock_sched_job *jobs[2];
	struct drm_mock_sched_fixture *fx;
	unsigned int i;

	fx = drm_mock_sched_fixture_new(test, &params);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = drm_mock_sched_job_new(test, fx->entity);
		drm_mock_sched_job_submit(jobs[i]);
	}
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 2, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(fx->sched), 2);

	drm_sched_stop(&fx->sched->base, NULL);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(fx->sched), 0);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 2), 2);
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(jobs[0]));
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(jobs[1]));

	drm_sched_start(&fx->sched->base);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(jobs[i],
									 DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]), -ECANCELED);
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->run_count), 1);
	}
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_wait_frees(fx->sched, 2, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(fx->sched), 0);
}

/*
 * drm_sched_wqueue_stop() keeps new jobs off the hardware while the
 * scheduler stays ready; drm_sched_wqueue_start() lets them through.
 */
static void drm_sched_tdr_wqueue_stop_start(struct kunit *test)
{
	const struct drm_mock_sched_params params = { .timeout = MAX_SCHEDULE_TIMEOUT };
	struct drm_mock_sched_job *job;
	struct drm_mock_sched_fixture *fx;

	fx = drm_mock_sched_fixture_new(test, &params);
	KUNIT_EXPECT_TRUE(test, drm_sched_wqueue_ready(&fx->sched->base));
	drm_sched_wqueue_stop(&fx->sched->base);
	KUNIT_EXPECT_TRUE(test, fx->sched->base.pause_submit);
	KUNIT_EXPECT_TRUE(test, drm_sched_wqueue_ready(&fx->sched->base));

	job = drm_mock_sched_job_new(test, fx->entity);
	drm_mock_sched_job_submit(job);
	drm_sched_wqueue_start(&fx->sched->base);
	KUNIT_EXPECT_FALSE(test, fx->sched->base.pause_submit);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));

	drm_mock_sched_fini(fx->sched);
	KUNIT_EXPECT_FALSE(test, drm_sched_wqueue_ready(&fx->sched->base));
}

/* Fence signalling annotations ------------------------------------------ */

struct cb_case {
	const char *desc;
	unsigned int cb;
	bool inside;
};

static const struct cb_case cb_cases[] = {
	{ "run_job", DRM_MOCK_CB_RUN, true },
	{ "timedout_job", DRM_MOCK_CB_TIMEDOUT, false },
	{ "free_job", DRM_MOCK_CB_FREE, true },
};

KUNIT_ARRAY_PARAM_DESC(cb, cb_cases, desc);

/*
 * run_job and free_job run inside a fence signalling section, so lockdep
 * can catch a driver waiting or allocating there; timedout_job runs outside
 * one, since handlers stop the scheduler and so wait for its workers.
 */
static void drm_sched_tdr_signalling_sections(struct kunit *test)
{
	const struct cb_case *p = test->param_value;
	struct drm_mock_sched_fixture *fx = test->priv;
	struct recovery rec = { .reset_error = -EIO };
	struct drm_mock_sched_job *job;

	if (!IS_ENABLED(CONFIG_LOCKDEP))
		kunit_skip(test, "fence signalling annotations need CONFIG_LOCKDEP");

	/*
	 * A full driver-style recovery, so that the job is freed afterwards,
	 * run once on demand: the timeout never expires, so no second
	 * timeout can find the job gone before the free worker ran.
	 */
	drm_mock_sched_set_timedout(fx->sched, DRM_GPU_SCHED_STAT_NOMINAL, false,
				    recover, &rec);
	job = hung_job(test, fx->entity);
	drm_sched_fault(&fx->sched->base);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));

	KUNIT_EXPECT_TRUE(test, atomic_read(&fx->sched->signalling_checks) & p->cb);
	KUNIT_EXPECT_EQ(test, !!(atomic_read(&fx->sched->outside_signalling) & p->cb),
			!p->inside);
}

static struct kunit_case drm_sched_tdr_cases[] = {
	KUNIT_CASE(drm_sched_tdr_fires),
	KUNIT_CASE(drm_sched_tdr_oldest_job),
	KUNIT_CASE(drm_sched_tdr_job_off_pending),
	KUNIT_CASE_PARAM(drm_sched_tdr_fail_hw, status_gen_params),
	KUNIT_CASE(drm_sched_tdr_no_hang_rearms),
	KUNIT_CASE(drm_sched_tdr_enodev_disarms),
	KUNIT_CASE(drm_sched_tdr_disabled),
	KUNIT_CASE_SLOW(drm_sched_tdr_suspended_quiet),
	{}
};

static struct kunit_suite drm_sched_tdr_suite = {
	.name = "drm_sched_tdr",
	.init = tdr_suite_init,
	.test_cases = drm_sched_tdr_cases,
};

static struct kunit_case drm_sched_tdr_on_demand_cases[] = {
	KUNIT_CASE(drm_sched_tdr_idle_quiet),
	KUNIT_CASE(drm_sched_tdr_since_last_progress),
	KUNIT_CASE(drm_sched_tdr_fault),
	KUNIT_CASE(drm_sched_tdr_imm),
	KUNIT_CASE(drm_sched_tdr_suspend_resume),
	KUNIT_CASE_PARAM(drm_sched_tdr_signalling_sections, cb_gen_params),
	{}
};

static struct kunit_suite drm_sched_tdr_on_demand_suite = {
	.name = "drm_sched_tdr_on_demand",
	.init = tdr_on_demand_suite_init,
	.test_cases = drm_sched_tdr_on_demand_cases,
};

/*
 * The recovery suite has no common fixture: its cases differ exactly in how
 * their scheduler is set up (timeout off or too long to fire by itself, and
 * the hang limit), so each builds its own with drm_mock_sched_fixture_new().
 */

static struct kunit_case drm_sched_recovery_cases[] = {
	KUNIT_CASE_PARAM(drm_sched_tdr_reset_no_resubmit, reset_gen_params),
	KUNIT_CASE(drm_sched_tdr_resubmit),
	KUNIT_CASE_PARAM(drm_sched_tdr_karma, karma_gen_params),
	KUNIT_CASE(drm_sched_tdr_karma_counts),
	KUNIT_CASE(drm_sched_tdr_stop_start),
	KUNIT_CASE(drm_sched_tdr_wqueue_stop_start),
	{}
};

static struct kunit_suite drm_sched_recovery_suite = {
	.name = "drm_sched_recovery",
	.test_cases = drm_sched_recovery_cases,
};

kunit_test_suites(&drm_sched_tdr_suite, &drm_sched_tdr_on_demand_suite,
		  &drm_sched_recovery_suite);
