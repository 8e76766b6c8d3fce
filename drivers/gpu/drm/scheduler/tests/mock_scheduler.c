// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Mock backend for the DRM GPU scheduler KUnit suites: a fake in-order
 * hardware timeline, fences on test-made timelines, and bookkeeping that lets
 * the tests prove every job was released exactly once.
 */

#include <kunit/resource.h>
#include <linux/dma-fence.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "../sched_kunit.h"
#include "sched_tests.h"

/* Mock jobs whose memory is still allocated, across all tests. */
static atomic_t drm_mock_jobs_live = ATOMIC_INIT(0);
/* Woken whenever a job is freed or changes state. */
static DECLARE_WAIT_QUEUE_HEAD(drm_mock_global_wq);
/* Stamps run_job calls so tests can compare their order across schedulers. */
static atomic64_t drm_mock_order = ATOMIC64_INIT(0);

#define DRM_MOCK_LEAK_RES "drm_mock_sched_leak_check"

/**
 * drm_mock_live_jobs - number of mock jobs whose memory is still allocated
 *
 * Counts every job made by drm_mock_sched_job_alloc() in any test that has
 * not been released yet. Nothing to clean up.
 *
 * Returns: the number of live mock jobs.
 */
int drm_mock_live_jobs(void)
{
	return atomic_read(&drm_mock_jobs_live);
}

struct drm_mock_leak_check {
	struct kunit_resource res;
	struct kunit *test;
	int baseline;
};

static void drm_mock_leak_check_release(struct kunit_resource *res)
{
	struct drm_mock_leak_check *lc = res->data;
	long left;

	/* Schedulers and entities are gone by now; frees may still be queued. */
	left = wait_event_timeout(drm_mock_global_wq,
				  atomic_read(&drm_mock_jobs_live) <= lc->baseline,
				  DRM_MOCK_WAIT);
	KUNIT_EXPECT_GT_MSG(lc->test, left, 0,
			    "%d mock job(s) never released",
			    atomic_read(&drm_mock_jobs_live) - lc->baseline);
}

/*
 * Register the end-of-test leak check once per test, before the first mock
 * object, so that it runs after every other mock teardown action.
 */
static void drm_mock_track_leaks(struct kunit *test)
{
	struct drm_mock_leak_check *lc;
	struct kunit_resource *res;
	int ret;

	res = kunit_find_named_resource(test, DRM_MOCK_LEAK_RES);
	if (res) {
		kunit_put_resource(res);
		return;
	}

	lc = kunit_kzalloc(test, sizeof(*lc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lc);
	lc->test = test;
	lc->baseline = atomic_read(&drm_mock_jobs_live);
	ret = kunit_add_named_resource(test, NULL, drm_mock_leak_check_release,
				       &lc->res, DRM_MOCK_LEAK_RES, lc);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/* Free-standing timelines ------------------------------------------------ */

struct drm_mock_fence {
	struct dma_fence base;
	struct drm_mock_timeline *tl;
};

static void drm_mock_timeline_release(struct kref *ref)
{
	kfree(container_of(ref, struct drm_mock_timeline, refcount));
}

static const char *drm_mock_fence_driver_name(struct dma_fence *fence)
{
	return "drm_mock_sched";
}

static const char *drm_mock_fence_timeline_name(struct dma_fence *fence)
{
	return "mock-timeline";
}

static void drm_mock_fence_release(struct dma_fence *fence)
{
	struct drm_mock_fence *mf = container_of(fence, struct drm_mock_fence, base);

	kref_put(&mf->tl->refcount, drm_mock_timeline_release);
	dma_fence_free(fence);
}

static const struct dma_fence_ops drm_mock_fence_ops = {
	.get_driver_name = drm_mock_fence_driver_name,
	.get_timeline_name = drm_mock_fence_timeline_name,
	.release = drm_mock_fence_release,
};

static void drm_mock_timeline_put(struct drm_mock_timeline *tl)
{
	kref_put(&tl->refcount, drm_mock_timeline_release);
}

KUNIT_DEFINE_ACTION_WRAPPER(drm_mock_timeline_put_action, drm_mock_timeline_put,
			    struct drm_mock_timeline *);

/**
 * drm_mock_timeline_new - make a fence context for test-made fences
 * @test: the test that owns the timeline
 *
 * All fences made on the timeline share its spinlock. The test's reference
 * is dropped by a KUnit action at the end of @test; the fences keep the
 * timeline alive for as long as they live.
 *
 * Returns: the new timeline, never NULL (the test is aborted instead).
 */
struct drm_mock_timeline *drm_mock_timeline_new(struct kunit *test)
{
	struct drm_mock_timeline *tl;
	int ret;

	tl = kzalloc(sizeof(*tl), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tl);
	kref_init(&tl->refcount);
	tl->test = test;
	spin_lock_init(&tl->lock);
	tl->context = dma_fence_context_alloc(1);

	ret = kunit_add_action_or_reset(test, drm_mock_timeline_put_action, tl);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return tl;
}

static void drm_mock_fence_drop(struct dma_fence *fence)
{
	/* A fence must signal eventually, even if the test forgot it. */
	drm_mock_fence_signal(fence, 0);
	dma_fence_put(fence);
}

KUNIT_DEFINE_ACTION_WRAPPER(drm_mock_fence_drop_action, drm_mock_fence_drop,
			    struct dma_fence *);

/**
 * drm_mock_timeline_fence - make an unsignalled fence on a mock timeline
 * @tl: the timeline
 * @seqno: sequence number of the fence
 *
 * The returned reference belongs to the test: a KUnit action signals the
 * fence (if nobody did) and drops that reference when the test ends. Take an
 * extra reference with dma_fence_get() before handing the fence to an
 * interface that consumes one.
 *
 * Returns: the fence, never NULL (the test is aborted instead).
 */
struct dma_fence *drm_mock_timeline_fence(struct drm_mock_timeline *tl,
					  u64 seqno)
{
	struct drm_mock_fence *mf;
	int ret;

	mf = kzalloc(sizeof(*mf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(tl->test, mf);
	kref_get(&tl->refcount);
	mf->tl = tl;
	dma_fence_init(&mf->base, &drm_mock_fence_ops, &tl->lock, tl->context,
		       seqno);

	ret = kunit_add_action_or_reset(tl->test, drm_mock_fence_drop_action,
					&mf->base);
	KUNIT_ASSERT_EQ(tl->test, ret, 0);
	return &mf->base;
}

/**
 * drm_mock_fence_signal - signal a fence, optionally with an error
 * @fence: the fence; nothing happens when it already signalled
 * @error: negative error code, or 0
 *
 * Safe on any fence. Does not change who owns @fence.
 */
void drm_mock_fence_signal(struct dma_fence *fence, int error)
{
	unsigned long flags;

	spin_lock_irqsave(fence->lock, flags);
	if (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags)) {
		if (error)
			dma_fence_set_error(fence, error);
		dma_fence_signal_locked(fence);
	}
	spin_unlock_irqrestore(fence->lock, flags);
}

/* The hardware timeline ------------------------------------------------- */

static const char *drm_mock_hw_timeline_name(struct dma_fence *fence)
{
	return "mock-hw";
}

static void drm_mock_hw_set_deadline(struct dma_fence *fence, ktime_t deadline)
{
	struct drm_mock_hw_fence *hwf =
		container_of(fence, struct drm_mock_hw_fence, base);

	WRITE_ONCE(hwf->deadline, deadline);
	/* Publish the deadline before the flag that says it is there. */
	smp_store_release(&hwf->has_deadline, true);
}

static const struct dma_fence_ops drm_mock_hw_fence_ops = {
	.get_driver_name = drm_mock_fence_driver_name,
	.get_timeline_name = drm_mock_hw_timeline_name,
	.set_deadline = drm_mock_hw_set_deadline,
};

static struct drm_mock_hw_fence *
drm_mock_hw_head(struct drm_mock_scheduler *ms)
{
	return list_first_entry_or_null(&ms->hw_queue, struct drm_mock_hw_fence,
					link);
}

/* Signal one hardware fence and drop the timeline's reference on it. */
static void drm_mock_hw_retire_locked(struct drm_mock_scheduler *ms,
				      struct drm_mock_hw_fence *hwf, int error)
{
	lockdep_assert_held(&ms->lock);

	list_del_init(&hwf->link);
	ms->hw_credits -= hwf->credits;
	if (error)
		dma_fence_set_error(&hwf->base, error);
	dma_fence_signal_locked(&hwf->base);
	dma_fence_put(&hwf->base);
}

/* Program the timer for the head fence, if it retires by itself. */
static void drm_mock_hw_kick_locked(struct drm_mock_scheduler *ms)
{
	struct drm_mock_hw_fence *head = drm_mock_hw_head(ms);

	if (head && !head->hang && head->expires)
		hrtimer_start(&ms->timer, head->expires, HRTIMER_MODE_ABS);
}

static enum hrtimer_restart drm_mock_hw_timer_fn(struct hrtimer *timer)
{
	struct drm_mock_scheduler *ms =
		container_of(timer, struct drm_mock_scheduler, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	struct drm_mock_hw_fence *head;
	ktime_t now = ktime_get();
	unsigned long flags;

	spin_lock_irqsave(&ms->lock, flags);
	while ((head = drm_mock_hw_head(ms)) && !head->hang && head->expires &&
	       ktime_compare(head->expires, now) <= 0)
		drm_mock_hw_retire_locked(ms, head, head->error);

	head = drm_mock_hw_head(ms);
	if (head && !head->hang && head->expires) {
		hrtimer_set_expires(timer, head->expires);
		ret = HRTIMER_RESTART;
	}
	spin_unlock_irqrestore(&ms->lock, flags);

	return ret;
}

/**
 * drm_mock_sched_advance - retire hardware fences by hand
 * @sched: the mock scheduler
 * @n: how many fences to retire at most
 *
 * Signals the next @n unsignalled hardware fences of the timeline in order,
 * whatever their duration, with their injected error. Stops early at a hung
 * fence or when the timeline is empty. Nothing to clean up.
 *
 * Returns: how many fences were signalled.
 */
unsigned int drm_mock_sched_advance(struct drm_mock_scheduler *sched,
				    unsigned int n)
{
	struct drm_mock_hw_fence *head;
	unsigned int done = 0;
	unsigned long flags;

	spin_lock_irqsave(&sched->lock, flags);
	while (done < n && (head = drm_mock_hw_head(sched)) && !head->hang) {
		drm_mock_hw_retire_locked(sched, head, head->error);
		done++;
	}
	drm_mock_hw_kick_locked(sched);
	spin_unlock_irqrestore(&sched->lock, flags);

	return done;
}

static ktime_t drm_mock_virtual_clock(struct drm_gpu_scheduler *sched)
{
	return ns_to_ktime(atomic64_read(&drm_sched_to_mock_sched(sched)->virtual_now));
}

/**
 * drm_mock_sched_use_virtual_clock - run the fake hardware on a test clock
 * @sched: a mock scheduler with nothing on the hardware yet
 *
 * Makes the scheduler read the time from a clock that only
 * drm_mock_sched_retire_virtual() moves, so the GPU time the scheduler
 * measures is exactly what the test gave each job. Nothing to clean up.
 */
void drm_mock_sched_use_virtual_clock(struct drm_mock_scheduler *sched)
{
	atomic64_set(&sched->virtual_now, 0);
	drm_sched_set_clock(&sched->base, drm_mock_virtual_clock);
}

/**
 * drm_mock_sched_virtual_now - read the virtual clock
 * @sched: the mock scheduler
 *
 * Returns: the virtual time in ns.
 */
u64 drm_mock_sched_virtual_now(struct drm_mock_scheduler *sched)
{
	return atomic64_read(&sched->virtual_now);
}

/**
 * drm_mock_sched_retire_virtual - complete the job at the head of the ring
 * @sched: the mock scheduler, on the virtual clock
 *
 * Moves the virtual clock on by the head job's &drm_mock_sched_job.virtual_ns
 * and then signals its hardware fence, as a ring that runs one job at a time
 * would. Nothing to clean up.
 *
 * Returns: the job that completed, NULL when the ring is empty or its head
 * hangs. The test's reference keeps the job valid.
 */
struct drm_mock_sched_job *
drm_mock_sched_retire_virtual(struct drm_mock_scheduler *sched)
{
	struct drm_mock_sched_job *job = NULL;
	struct drm_mock_hw_fence *head;
	unsigned long flags;

	spin_lock_irqsave(&sched->lock, flags);
	head = drm_mock_hw_head(sched);
	if (head && !head->hang) {
		job = head->job;
		atomic64_add(head->virtual_ns, &sched->virtual_now);
		drm_mock_hw_retire_locked(sched, head, head->error);
	}
	spin_unlock_irqrestore(&sched->lock, flags);

	return job;
}

/**
 * drm_mock_sched_settle - wait until the workers have nothing left to do
 * @sched: a mock scheduler whose submit workqueue it owns
 *
 * Drains the scheduler's workqueue: every job that can run has been handed
 * to the hardware and every finished job freed. Only for tests that drive
 * everything from the test thread, with no timer of their own running.
 */
void drm_mock_sched_settle(struct drm_mock_scheduler *sched)
{
	drain_workqueue(sched->base.submit_wq);
}

/**
 * drm_mock_sched_hw_reset - simulate a reset of the fake hardware
 * @sched: the mock scheduler
 * @error: error every pending hardware fence signals with
 *
 * Signals every hardware fence still on the timeline, hung ones included,
 * with @error, oldest first. Recovery code calls this between
 * drm_sched_stop() and drm_sched_start(), when the scheduler no longer
 * listens to those fences. Nothing to clean up.
 *
 * Returns: how many fences were signalled.
 */
unsigned int drm_mock_sched_hw_reset(struct drm_mock_scheduler *sched,
				     int error)
{
	struct drm_mock_hw_fence *head;
	unsigned int done = 0;
	unsigned long flags;

	spin_lock_irqsave(&sched->lock, flags);
	while ((head = drm_mock_hw_head(sched))) {
		drm_mock_hw_retire_locked(sched, head, error);
		done++;
	}
	spin_unlock_irqrestore(&sched->lock, flags);

	return done;
}

/**
 * drm_mock_sched_hw_pending - count the unsignalled hardware fences
 * @sched: the mock scheduler
 *
 * Nothing to clean up.
 *
 * Returns: the number of jobs on the fake hardware that did not complete.
 */
unsigned int drm_mock_sched_hw_pending(struct drm_mock_scheduler *sched)
{
	struct drm_mock_hw_fence *hwf;
	unsigned int count = 0;
	unsigned long flags;

	spin_lock_irqsave(&sched->lock, flags);
	list_for_each_entry(hwf, &sched->hw_queue, link)
		count++;
	spin_unlock_irqrestore(&sched->lock, flags);

	return count;
}

/* The latest hardware fence of a job, NULL when it never ran. */
static struct drm_mock_hw_fence *drm_mock_job_hw(struct drm_mock_sched_job *job)
{
	/* Pairs with the release in run_job: the slot is set up before. */
	unsigned int used = smp_load_acquire(&job->hw_used);

	return used ? job->hw[used - 1] : NULL;
}

/**
 * drm_mock_sched_job_complete - finish a job's hardware fence out of order
 * @job: the job; its latest run is completed
 * @error: error to signal with, or 0
 *
 * Meant for hung jobs: signals the fence of the job's latest run even when
 * it is not at the head of the timeline. The caller keeps its references.
 *
 * Returns: true when the fence was still pending and is now signalled.
 */
bool drm_mock_sched_job_complete(struct drm_mock_sched_job *job, int error)
{
	struct drm_mock_hw_fence *hwf = drm_mock_job_hw(job);
	struct drm_mock_scheduler *ms;
	unsigned long flags;
	bool done = false;

	if (!hwf)
		return false;

	ms = drm_sched_to_mock_sched(job->base.sched);
	spin_lock_irqsave(&ms->lock, flags);
	if (!list_empty(&hwf->link)) {
		drm_mock_hw_retire_locked(ms, hwf, error);
		done = true;
	}
	drm_mock_hw_kick_locked(ms);
	spin_unlock_irqrestore(&ms->lock, flags);

	return done;
}

/**
 * drm_mock_sched_job_hw_deadline - read the deadline seen by the hardware
 * @job: the job; its latest run is inspected
 * @deadline: where to store the deadline
 *
 * Nothing to clean up.
 *
 * Returns: true when a deadline reached the job's hardware fence.
 */
bool drm_mock_sched_job_hw_deadline(struct drm_mock_sched_job *job,
				    ktime_t *deadline)
{
	struct drm_mock_hw_fence *hwf = drm_mock_job_hw(job);

	/* Pairs with the release in drm_mock_hw_set_deadline(). */
	if (!hwf || !smp_load_acquire(&hwf->has_deadline))
		return false;
	*deadline = READ_ONCE(hwf->deadline);
	return true;
}

/* Backend operations ---------------------------------------------------- */

/* Record whether a callback runs inside a fence signalling section. */
static void drm_mock_check_signalling(struct drm_mock_scheduler *ms,
				      unsigned int which)
{
	bool cookie = dma_fence_begin_signalling();

	dma_fence_end_signalling(cookie);
	if (!cookie)
		atomic_or(which, &ms->outside_signalling);
	atomic_or(which, &ms->signalling_checks);
}

static void drm_mock_job_release(struct kref *ref)
{
	struct drm_mock_sched_job *job =
		container_of(ref, struct drm_mock_sched_job, refcount);
	unsigned int i;

	for (i = 0; i < DRM_MOCK_MAX_RUNS; i++) {
		if (i < job->hw_used)
			dma_fence_put(&job->hw[i]->base);
		else
			kfree(job->hw[i]);
	}
	dma_fence_put(job->prepare_fence);
	dma_fence_put(job->finished);
	dma_fence_put(job->scheduled);
	kfree(job);

	atomic_dec(&drm_mock_jobs_live);
	wake_up_all(&drm_mock_global_wq);
}

static void drm_mock_job_put(struct drm_mock_sched_job *job)
{
	kref_put(&job->refcount, drm_mock_job_release);
}

/*
 * Is @fence satisfied for a job of @sched about to run? A finished fence of
 * the same scheduler only needs its job on the hardware, unless pipelining
 * was forbidden on it.
 */
static bool drm_mock_dep_satisfied(struct drm_gpu_scheduler *sched,
				   struct dma_fence *fence)
{
	struct drm_sched_fence *s_fence = to_drm_sched_fence(fence);

	if (s_fence && s_fence->sched == sched && fence == &s_fence->finished &&
	    !test_bit(DRM_SCHED_FENCE_DONT_PIPELINE, &fence->flags))
		return dma_fence_is_signaled(&s_fence->scheduled);

	return dma_fence_is_signaled(fence);
}

static struct dma_fence *drm_mock_prepare_job(struct drm_sched_job *sched_job,
					      struct drm_sched_entity *entity)
{
	struct drm_mock_sched_job *job = drm_sched_job_to_mock_job(sched_job);
	struct drm_mock_scheduler *ms = drm_sched_to_mock_sched(sched_job->sched);
	struct dma_fence *fence = xchg(&job->prepare_fence, NULL);
	struct dma_fence *dep;
	unsigned long index;

	xa_for_each(&sched_job->dependencies, index, dep)
		if (!drm_mock_dep_satisfied(sched_job->sched, dep))
			WRITE_ONCE(job->prepare_violation, true);

	atomic_inc(&ms->prepare_count);
	wake_up_all(&ms->wq);
	return fence;
}

static struct dma_fence *drm_mock_run_job(struct drm_sched_job *sched_job)
{
	struct drm_mock_sched_job *job = drm_sched_job_to_mock_job(sched_job);
	struct drm_mock_scheduler *ms = drm_sched_to_mock_sched(sched_job->sched);
	struct drm_mock_hw_fence *hwf, *tail;
	struct dma_fence *dep, *ret;
	unsigned long index, flags;
	u64 stamp;

	drm_mock_check_signalling(ms, DRM_MOCK_CB_RUN);

	xa_for_each(&sched_job->dependencies, index, dep)
		if (!drm_mock_dep_satisfied(sched_job->sched, dep))
			WRITE_ONCE(job->deps_violation, true);

	stamp = atomic64_inc_return(&drm_mock_order);
	if (!job->first_run_stamp)
		job->first_run_stamp = stamp;
	WRITE_ONCE(job->run_stamp, stamp);
	job->error_at_run = sched_job->s_fence->finished.error;
	job->credits_at_run = sched_job->credits;
	job->credit_count_at_run = atomic_read(&sched_job->sched->credit_count);

	spin_lock_irqsave(&ms->lock, flags);
	job->hw_credits_at_run = ms->hw_credits + sched_job->credits;
	spin_unlock_irqrestore(&ms->lock, flags);

	if (job->run_hook)
		job->run_hook(job, job->hook_data);

	if (job->run_error) {
		ret = ERR_PTR(job->run_error);
		goto out;
	}
	if (job->run_null) {
		ret = NULL;
		goto out;
	}
	if (job->hw_used >= DRM_MOCK_MAX_RUNS) {
		ret = ERR_PTR(-ENOSPC);
		goto out;
	}

	hwf = job->hw[job->hw_used];
	if (!hwf) {
		/* A rerun: no reclaim allowed inside the signalling section. */
		hwf = kzalloc(sizeof(*hwf), GFP_NOWAIT | __GFP_NOWARN);
		if (!hwf) {
			ret = ERR_PTR(-ENOMEM);
			goto out;
		}
		job->hw[job->hw_used] = hwf;
	}

	INIT_LIST_HEAD(&hwf->link);
	hwf->hang = job->hang;
	hwf->error = job->hw_error;

	spin_lock_irqsave(&ms->lock, flags);
	dma_fence_init(&hwf->base, &drm_mock_hw_fence_ops, &ms->lock,
		       ms->hw_context, ++ms->hw_seqno);
	if (job->duration_us) {
		ktime_t start = ktime_get();

		tail = list_empty(&ms->hw_queue) ? NULL :
			list_last_entry(&ms->hw_queue, struct drm_mock_hw_fence,
					link);
		if (tail && tail->expires && ktime_after(tail->expires, start))
			start = tail->expires;
		hwf->expires = ktime_add_us(start, job->duration_us);
	}
	hwf->credits = sched_job->credits;
	hwf->job = job;
	hwf->virtual_ns = job->virtual_ns;
	ms->hw_credits += hwf->credits;
	/* The timeline's reference, dropped when the fence is retired. */
	list_add_tail(&hwf->link, &ms->hw_queue);
	dma_fence_get(&hwf->base);
	/* The job keeps the initial reference; one more for the scheduler. */
	ret = dma_fence_get(&hwf->base);
	/* Publish the initialised slot to drm_mock_job_hw() readers. */
	smp_store_release(&job->hw_used, job->hw_used + 1);
	drm_mock_hw_kick_locked(ms);
	spin_unlock_irqrestore(&ms->lock, flags);

out:
	atomic_inc(&job->run_count);
	atomic_inc(&ms->run_count);
	wake_up_all(&ms->wq);
	wake_up_all(&drm_mock_global_wq);
	return ret;
}

static void drm_mock_free_job(struct drm_sched_job *sched_job);

static void drm_mock_adopted_free_work(struct work_struct *work)
{
	struct drm_mock_sched_job *job =
		container_of(work, struct drm_mock_sched_job, adopt_work);
	struct drm_mock_scheduler *ms = drm_sched_to_mock_sched(job->base.sched);

	drm_mock_free_job(&job->base);
	/*
	 * The scheduler's teardown waits for this count; once it drops, @ms
	 * may be gone, so the wake-up goes to the global queue.
	 */
	atomic_dec(&ms->adopted);
	wake_up_all(&drm_mock_global_wq);
}

static void drm_mock_adopted_done(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct drm_mock_sched_job *job =
		container_of(cb, struct drm_mock_sched_job, adopt_cb);

	schedule_work(&job->adopt_work);
}

/*
 * A job the scheduler left to the driver after a timeout: like a driver
 * that cleans up after itself, free it once it finished, at once when it
 * already did.
 */
static void drm_mock_adopt_timedout(struct drm_mock_sched_job *job)
{
	struct drm_mock_scheduler *ms = drm_sched_to_mock_sched(job->base.sched);

	INIT_WORK(&job->adopt_work, drm_mock_adopted_free_work);
	atomic_inc(&ms->adopted);
	if (dma_fence_add_callback(job->finished, &job->adopt_cb,
				   drm_mock_adopted_done)) {
		atomic_dec(&ms->adopted);
		drm_mock_free_job(&job->base);
	}
}

static enum drm_gpu_sched_stat
drm_mock_timedout_job(struct drm_sched_job *sched_job)
{
	struct drm_mock_sched_job *job = drm_sched_job_to_mock_job(sched_job);
	struct drm_mock_scheduler *ms = drm_sched_to_mock_sched(sched_job->sched);
	enum drm_gpu_sched_stat status = READ_ONCE(ms->timedout_status);
	drm_mock_timedout_hook_t hook = ms->timedout_hook;

	drm_mock_check_signalling(ms, DRM_MOCK_CB_TIMEDOUT);

	atomic_inc(&job->timedout_count);
	WRITE_ONCE(ms->last_timedout, job);
	if (READ_ONCE(ms->timedout_fail_hw))
		drm_mock_sched_job_complete(job, -ETIMEDOUT);
	if (hook)
		hook(ms, job, ms->timedout_data);
	else if (status != DRM_GPU_SCHED_STAT_NO_HANG)
		drm_mock_adopt_timedout(job);

	/* The job may be gone now: count, but do not look at it again. */
	atomic_inc(&ms->timedout_count);
	wake_up_all(&ms->wq);
	return status;
}

static void drm_mock_free_job(struct drm_sched_job *sched_job)
{
	struct drm_mock_sched_job *job = drm_sched_job_to_mock_job(sched_job);
	/* A job armed after its entity was killed has no scheduler. */
	struct drm_mock_scheduler *ms = sched_job->sched ?
		drm_sched_to_mock_sched(sched_job->sched) : job->owner;

	drm_mock_check_signalling(ms, DRM_MOCK_CB_FREE);

	if (atomic_inc_return(&job->free_calls) > 1) {
		/* Never touch a job twice; the scheduler teardown reports it. */
		atomic_inc(&ms->double_free);
		wake_up_all(&ms->wq);
		return;
	}

	job->cancelled_at_free = atomic_read(&job->cancel_calls);
	if (job->free_hook)
		job->free_hook(job, job->free_data);
	drm_sched_job_cleanup(sched_job);
	WRITE_ONCE(job->cleaned, true);
	atomic_inc(&ms->free_count);
	wake_up_all(&ms->wq);
	wake_up_all(&drm_mock_global_wq);
	drm_mock_job_put(job);
}

/*
 * A driver's cancel_job: takes the job off the fake hardware by signalling
 * its hardware fence with &drm_mock_scheduler.cancel_error.
 */
static void drm_mock_cancel_job(struct drm_sched_job *sched_job)
{
	struct drm_mock_sched_job *job = drm_sched_job_to_mock_job(sched_job);
	struct drm_mock_scheduler *ms = drm_sched_to_mock_sched(sched_job->sched);
	int error = READ_ONCE(ms->cancel_error);

	if (!drm_sched_is_stopped(sched_job->sched))
		atomic_inc(&ms->cancel_running);
	atomic_inc(&job->cancel_calls);
	atomic_inc(&ms->cancel_count);
	if (error)
		drm_mock_sched_job_complete(job, error);
	wake_up_all(&ms->wq);
}

static u32 drm_mock_update_job_credits(struct drm_sched_job *sched_job)
{
	struct drm_mock_sched_job *job = drm_sched_job_to_mock_job(sched_job);
	struct drm_mock_scheduler *ms = drm_sched_to_mock_sched(sched_job->sched);
	u32 credits = READ_ONCE(job->new_credits);

	atomic_inc(&ms->credits_count);
	return credits ? credits : sched_job->credits;
}

static const struct drm_sched_backend_ops drm_mock_sched_ops = {
	.prepare_job = drm_mock_prepare_job,
	.run_job = drm_mock_run_job,
	.timedout_job = drm_mock_timedout_job,
	.free_job = drm_mock_free_job,
	.update_job_credits = drm_mock_update_job_credits,
	.cancel_job = drm_mock_cancel_job,
};

/* Schedulers ------------------------------------------------------------ */

static void drm_mock_sched_teardown(struct drm_mock_scheduler *ms)
{
	drm_sched_fini(&ms->base);
	ms->finalized = true;

	/* The scheduler let go of the hardware: drain what is left of it. */
	hrtimer_cancel(&ms->timer);
	drm_mock_sched_hw_reset(ms, -ECANCELED);

	/* Jobs a timeout handler kept are freed by work items that use @ms. */
	KUNIT_EXPECT_TRUE_MSG(ms->test,
			      wait_event_timeout(drm_mock_global_wq,
						 !atomic_read(&ms->adopted),
						 DRM_MOCK_WAIT),
			      "%d job(s) kept by the timeout handler not freed",
			      atomic_read(&ms->adopted));

	KUNIT_EXPECT_EQ_MSG(ms->test, atomic_read(&ms->double_free), 0,
			    "free_job called twice for a job");
}

KUNIT_DEFINE_ACTION_WRAPPER(drm_mock_sched_teardown_action,
			    drm_mock_sched_teardown,
			    struct drm_mock_scheduler *);

/**
 * drm_mock_sched_new_params - make a mock scheduler
 * @test: the test that owns the scheduler
 * @params: how to configure it
 *
 * The scheduler is torn down by a KUnit action when @test ends, or earlier
 * by drm_mock_sched_fini(): drm_sched_fini() runs first, then the hardware
 * fences still on the timeline are signalled with -ECANCELED. The memory is
 * managed by KUnit.
 *
 * Returns: the scheduler, never NULL (the test is aborted instead).
 */
struct drm_mock_scheduler *
drm_mock_sched_new_params(struct kunit *test,
			  const struct drm_mock_sched_params *params)
{
	struct drm_sched_init_args args = {};
	struct drm_mock_scheduler *ms;
	int ret;

	drm_mock_track_leaks(test);

	ms = kunit_kzalloc(test, sizeof(*ms), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ms);

	ms->test = test;
	ms->ops = drm_mock_sched_ops;
	if (!params->prepare_job)
		ms->ops.prepare_job = NULL;
	if (!params->update_credits)
		ms->ops.update_job_credits = NULL;
	if (!params->cancel_job)
		ms->ops.cancel_job = NULL;
	ms->cancel_error = -ECANCELED;
	spin_lock_init(&ms->lock);
	INIT_LIST_HEAD(&ms->hw_queue);
	ms->hw_context = dma_fence_context_alloc(1);
	hrtimer_init(&ms->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	ms->timer.function = drm_mock_hw_timer_fn;
	init_waitqueue_head(&ms->wq);
	ms->timedout_status = DRM_GPU_SCHED_STAT_RESET;

	args.ops = &ms->ops;
	args.submit_wq = params->submit_wq;
	args.num_rqs = params->num_rqs ?: DRM_SCHED_PRIORITY_COUNT;
	args.credit_limit = params->credit_limit ?: 64;
	args.hang_limit = params->hang_limit;
	args.timeout = params->timeout ?: MAX_SCHEDULE_TIMEOUT;
	args.score = params->score;
	args.name = params->name ?: "mock";
	args.override_policy = params->override_policy;
	args.policy = params->policy;

	ret = drm_sched_init(&ms->base, &args);
	KUNIT_ASSERT_EQ(test, ret, 0);

	ret = kunit_add_action_or_reset(test, drm_mock_sched_teardown_action, ms);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return ms;
}

/**
 * drm_mock_sched_new - make a mock scheduler with default parameters
 * @test: the test that owns the scheduler
 * @timeout: TDR timeout in jiffies, %MAX_SCHEDULE_TIMEOUT (or 0) for none
 *
 * Four run queues, 64 credits, no optional callbacks. Torn down like
 * drm_mock_sched_new_params() says.
 *
 * Returns: the scheduler, never NULL (the test is aborted instead).
 */
struct drm_mock_scheduler *drm_mock_sched_new(struct kunit *test, long timeout)
{
	struct drm_mock_sched_params params = { .timeout = timeout };

	return drm_mock_sched_new_params(test, &params);
}

/**
 * drm_mock_sched_fini - tear a mock scheduler down ahead of the test's end
 * @sched: the scheduler
 *
 * Runs the teardown action now (drm_sched_fini(), then the remaining
 * hardware fences are cancelled) and unregisters it. The memory stays valid
 * until the test ends, so counters may still be read.
 */
void drm_mock_sched_fini(struct drm_mock_scheduler *sched)
{
	kunit_release_action(sched->test, drm_mock_sched_teardown_action, sched);
}

/**
 * drm_mock_sched_credits - credits in use on the ring
 * @sched: the scheduler
 *
 * Returns: &drm_gpu_scheduler.credit_count.
 */
u32 drm_mock_sched_credits(struct drm_mock_scheduler *sched)
{
	return atomic_read(&sched->base.credit_count);
}

/**
 * drm_mock_sched_credit_limit - size of the ring in credits
 * @sched: the scheduler
 *
 * Returns: &drm_gpu_scheduler.credit_limit.
 */
u32 drm_mock_sched_credit_limit(struct drm_mock_scheduler *sched)
{
	return sched->base.credit_limit;
}

/**
 * drm_mock_sched_wait_runs - wait until run_job was called often enough
 * @sched: the scheduler
 * @count: run_job calls to wait for, counted since creation
 * @timeout: how long to wait, in jiffies
 *
 * Returns: true when @count was reached in time.
 */
bool drm_mock_sched_wait_runs(struct drm_mock_scheduler *sched,
			      unsigned int count, long timeout)
{
	return wait_event_timeout(sched->wq,
				  atomic_read(&sched->run_count) >= count,
				  timeout) > 0;
}

/**
 * drm_mock_sched_wait_frees - wait until free_job was called often enough
 * @sched: the scheduler
 * @count: free_job calls to wait for, counted since creation
 * @timeout: how long to wait, in jiffies
 *
 * Returns: true when @count was reached in time.
 */
bool drm_mock_sched_wait_frees(struct drm_mock_scheduler *sched,
			       unsigned int count, long timeout)
{
	return wait_event_timeout(sched->wq,
				  atomic_read(&sched->free_count) >= count,
				  timeout) > 0;
}

/**
 * drm_mock_sched_wait_timeouts - wait for timedout_job calls
 * @sched: the scheduler
 * @count: timedout_job calls to wait for, counted since creation
 * @timeout: how long to wait, in jiffies
 *
 * Returns: true when @count was reached in time.
 */
bool drm_mock_sched_wait_timeouts(struct drm_mock_scheduler *sched,
				  unsigned int count, long timeout)
{
	return wait_event_timeout(sched->wq,
				  atomic_read(&sched->timedout_count) >= count,
				  timeout) > 0;
}

/**
 * drm_mock_sched_set_timedout - configure the timeout handler
 * @sched: the scheduler
 * @status: what timedout_job returns
 * @fail_hw: signal the timed-out job's hardware fence with -ETIMEDOUT
 * @hook: optional extra work done in timedout_job, or NULL
 * @data: argument of @hook
 *
 * Call while no timeout handler can run: before the first timeout, or with
 * nothing pending after flushing &drm_gpu_scheduler.work_tdr. Nothing to
 * clean up.
 */
void drm_mock_sched_set_timedout(struct drm_mock_scheduler *sched,
				 enum drm_gpu_sched_stat status, bool fail_hw,
				 drm_mock_timedout_hook_t hook, void *data)
{
	sched->timedout_hook = hook;
	sched->timedout_data = data;
	WRITE_ONCE(sched->timedout_fail_hw, fail_hw);
	WRITE_ONCE(sched->timedout_status, status);
}

/* Entities -------------------------------------------------------------- */

static void drm_mock_entity_teardown(struct drm_mock_sched_entity *entity)
{
	struct drm_sched_rq *rq;

	if (entity->destroyed)
		return;

	/*
	 * drm_sched_entity_destroy() with a bounded flush: called from a test
	 * thread, the real flush waits for as long as a queued job's
	 * dependency stays unsignalled, which after a failed assertion may be
	 * forever. Whatever is still queued afterwards is cancelled.
	 */
	rq = READ_ONCE(entity->base.rq);
	if (rq)
		wait_event_timeout(rq->sched->job_scheduled,
				   !spsc_queue_count(&entity->base.job_queue),
				   MAX_WAIT_SCHED_ENTITY_Q_EMPTY);
	drm_sched_entity_fini(&entity->base);
	entity->destroyed = true;
}

KUNIT_DEFINE_ACTION_WRAPPER(drm_mock_entity_teardown_action,
			    drm_mock_entity_teardown,
			    struct drm_mock_sched_entity *);

/**
 * drm_mock_sched_entity_new_multi - make an entity over several schedulers
 * @test: the test that owns the entity
 * @priority: the entity's priority
 * @list: the candidate schedulers; must stay valid as long as the entity,
 *        so allocate it with kunit_kcalloc()
 * @count: entries of @list (0 makes an entity without run queue)
 * @guilty: optional guilty flag
 *
 * A KUnit action tears the entity down when @test ends (before the
 * schedulers made earlier are torn down), or earlier through
 * drm_mock_sched_entity_free(): it waits a bounded time for the queue to
 * drain, like drm_sched_entity_destroy() does for an exiting process, then
 * calls drm_sched_entity_fini(). Tests that call drm_sched_entity_fini() or
 * drm_sched_entity_destroy() themselves set &drm_mock_sched_entity.destroyed.
 *
 * Returns: the entity, never NULL (the test is aborted instead).
 */
struct drm_mock_sched_entity *
drm_mock_sched_entity_new_multi(struct kunit *test,
				enum drm_sched_priority priority,
				struct drm_gpu_scheduler **list,
				unsigned int count, atomic_t *guilty)
{
	struct drm_mock_sched_entity *entity;
	int ret;

	drm_mock_track_leaks(test);

	entity = kunit_kzalloc(test, sizeof(*entity), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, entity);
	entity->test = test;

	ret = drm_sched_entity_init(&entity->base, priority, list, count, guilty);
	KUNIT_ASSERT_EQ(test, ret, 0);

	ret = kunit_add_action_or_reset(test, drm_mock_entity_teardown_action,
					entity);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return entity;
}

/**
 * drm_mock_sched_entity_new - make an entity on one mock scheduler
 * @test: the test that owns the entity
 * @priority: the entity's priority
 * @sched: the scheduler
 *
 * Torn down like drm_mock_sched_entity_new_multi() says.
 *
 * Returns: the entity, never NULL (the test is aborted instead).
 */
struct drm_mock_sched_entity *
drm_mock_sched_entity_new(struct kunit *test, enum drm_sched_priority priority,
			  struct drm_mock_scheduler *sched)
{
	struct drm_gpu_scheduler **list;

	list = kunit_kcalloc(test, 1, sizeof(*list), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, list);
	list[0] = &sched->base;

	return drm_mock_sched_entity_new_multi(test, priority, list, 1, NULL);
}

/**
 * drm_mock_sched_entity_free - destroy an entity ahead of the test's end
 * @entity: the entity
 *
 * Runs the teardown action now (bounded flush, then drm_sched_entity_fini())
 * and unregisters it. The memory stays valid until the test ends.
 */
void drm_mock_sched_entity_free(struct drm_mock_sched_entity *entity)
{
	kunit_release_action(entity->test, drm_mock_entity_teardown_action,
			     entity);
}

static void drm_mock_restore_policy(int *saved)
{
	WRITE_ONCE(drm_sched_policy, *saved);
}

KUNIT_DEFINE_ACTION_WRAPPER(drm_mock_restore_policy_action,
			    drm_mock_restore_policy, int *);

/**
 * drm_mock_sched_use_policy - set the sched_policy module parameter
 * @test: the test
 * @policy: the value, a DRM_SCHED_POLICY_* or anything else
 *
 * Schedulers that do not name a policy of their own follow it. The old
 * value comes back when the test ends.
 */
void drm_mock_sched_use_policy(struct kunit *test, int policy)
{
	int *saved = kunit_kzalloc(test, sizeof(*saved), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, saved);
	*saved = drm_sched_policy;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							drm_mock_restore_policy_action,
							saved), 0);
	WRITE_ONCE(drm_sched_policy, policy);
}

/* Suite fixtures -------------------------------------------------------- */

/**
 * drm_mock_sched_fixture_new - make a scheduler with one entity on it
 * @test: the test that owns both
 * @params: how to configure the scheduler
 *
 * Meant for a suite's &kunit_suite.init, which stores the result in
 * &kunit.priv, and for the odd case that needs a scheduler configured
 * otherwise than its suite's. The scheduler and the entity are torn down
 * by their own KUnit actions (see drm_mock_sched_new_params() and
 * drm_mock_sched_entity_new()). Those run after the suite's exit hook and
 * in reverse order of creation, so whatever a case builds on top of the
 * fixture goes before it; an exit hook has nothing to undo and must not
 * finalize the scheduler itself, or it would do so before the case's own
 * entities are gone.
 *
 * Returns: the fixture, never NULL (the test is aborted instead).
 */
struct drm_mock_sched_fixture *
drm_mock_sched_fixture_new(struct kunit *test,
			   const struct drm_mock_sched_params *params)
{
	struct drm_mock_sched_fixture *fx;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->sched = drm_mock_sched_new_params(test, params);
	fx->entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
					       fx->sched);
	return fx;
}

/**
 * drm_mock_sched_fixture_init - suite init hook: the default fixture
 * @test: the test about to run
 *
 * Usable as &kunit_suite.init as it is: puts a &struct
 * drm_mock_sched_fixture with a default scheduler (no timeout, 64 credits,
 * no optional callbacks) into &kunit.priv. Cleanup is as for
 * drm_mock_sched_fixture_new(); the suite needs no exit hook for it.
 *
 * Returns: 0; a failure aborts the test instead.
 */
int drm_mock_sched_fixture_init(struct kunit *test)
{
	const struct drm_mock_sched_params params = {};

	test->priv = drm_mock_sched_fixture_new(test, &params);
	return 0;
}

/* Jobs ------------------------------------------------------------------ */

static void drm_mock_job_test_put(struct drm_mock_sched_job *job)
{
	/* A job the scheduler never took over is cleaned up here. */
	if (!job->pushed && job->inited && !job->cleaned) {
		drm_sched_job_cleanup(&job->base);
		job->cleaned = true;
	}
	drm_mock_job_put(job);
}

KUNIT_DEFINE_ACTION_WRAPPER(drm_mock_job_test_put_action,
			    drm_mock_job_test_put,
			    struct drm_mock_sched_job *);

/**
 * drm_mock_sched_job_alloc - allocate a mock job without initialising it
 * @test: the test that owns the job
 *
 * For tests that call drm_sched_job_init() themselves; they set
 * &drm_mock_sched_job.inited when it succeeds. The job is reference
 * counted: the test holds one reference, dropped by a KUnit action when
 * @test ends (which also calls drm_sched_job_cleanup() on an initialised job
 * that was never pushed and never cleaned up); drm_mock_sched_job_push()
 * adds one for the scheduler, dropped by free_job. The job's memory is
 * therefore always safe to read until the test ends.
 *
 * Returns: the job, never NULL (the test is aborted instead).
 */
struct drm_mock_sched_job *drm_mock_sched_job_alloc(struct kunit *test)
{
	struct drm_mock_sched_job *job;
	int ret;

	drm_mock_track_leaks(test);

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, job);
	job->hw[0] = kzalloc(sizeof(*job->hw[0]), GFP_KERNEL);
	if (!job->hw[0]) {
		kfree(job);
		KUNIT_FAIL_AND_ABORT(test, "out of memory for a hardware fence");
	}

	kref_init(&job->refcount);
	job->test = test;
	atomic_inc(&drm_mock_jobs_live);

	ret = kunit_add_action_or_reset(test, drm_mock_job_test_put_action, job);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return job;
}

/**
 * drm_mock_sched_job_new_credits - make an initialised job
 * @test: the test that owns the job
 * @entity: the entity the job is for
 * @credits: the job's credits
 *
 * Like drm_mock_sched_job_alloc(), then drm_sched_job_init(), which must
 * succeed. The job runs until drm_mock_sched_advance() retires it unless
 * the test sets &drm_mock_sched_job.duration_us before submission.
 *
 * Returns: the job, never NULL (the test is aborted instead).
 */
struct drm_mock_sched_job *
drm_mock_sched_job_new_credits(struct kunit *test,
			       struct drm_mock_sched_entity *entity,
			       u32 credits)
{
	struct drm_mock_sched_job *job = drm_mock_sched_job_alloc(test);
	int ret;

	ret = drm_sched_job_init(&job->base, &entity->base, credits, NULL, 0);
	KUNIT_ASSERT_EQ(test, ret, 0);
	job->owner = drm_sched_to_mock_sched(READ_ONCE(entity->base.rq)->sched);
	job->inited = true;
	return job;
}

/**
 * drm_mock_sched_job_new - make an initialised job of one credit
 * @test: the test that owns the job
 * @entity: the entity the job is for
 *
 * See drm_mock_sched_job_new_credits() for ownership.
 *
 * Returns: the job, never NULL (the test is aborted instead).
 */
struct drm_mock_sched_job *
drm_mock_sched_job_new(struct kunit *test, struct drm_mock_sched_entity *entity)
{
	return drm_mock_sched_job_new_credits(test, entity, 1);
}

/**
 * drm_mock_sched_job_arm - arm a job and keep references to its fences
 * @job: an initialised job
 *
 * Calls drm_sched_job_arm() and stores references to the scheduled and
 * finished fences in @job, released with the job's memory.
 */
void drm_mock_sched_job_arm(struct drm_mock_sched_job *job)
{
	drm_sched_job_arm(&job->base);
	if (!job->finished) {
		job->finished = dma_fence_get(&job->base.s_fence->finished);
		job->scheduled = dma_fence_get(&job->base.s_fence->scheduled);
	}
}

/**
 * drm_mock_sched_job_push - hand an armed job to the scheduler
 * @job: a job armed with drm_mock_sched_job_arm()
 *
 * The scheduler owns the job from here on: free_job cleans it up and drops
 * the reference taken for it here.
 */
void drm_mock_sched_job_push(struct drm_mock_sched_job *job)
{
	kref_get(&job->refcount);
	job->pushed = true;
	drm_sched_entity_push_job(&job->base);
}

/**
 * drm_mock_sched_job_submit - arm and push a job
 * @job: an initialised job
 *
 * See drm_mock_sched_job_arm() and drm_mock_sched_job_push().
 */
void drm_mock_sched_job_submit(struct drm_mock_sched_job *job)
{
	drm_mock_sched_job_arm(job);
	drm_mock_sched_job_push(job);
}

/**
 * drm_mock_sched_job_cleanup - clean up a job that is not pushed
 * @job: an initialised job the test still owns
 *
 * Calls drm_sched_job_cleanup() and remembers it, so the end-of-test action
 * does not do it again.
 */
void drm_mock_sched_job_cleanup(struct drm_mock_sched_job *job)
{
	drm_sched_job_cleanup(&job->base);
	job->cleaned = true;
}

/**
 * drm_mock_sched_job_wait_scheduled - wait for a job's scheduled fence
 * @job: a submitted job
 * @timeout: how long to wait, in jiffies
 *
 * Returns: true when the fence signalled in time.
 */
bool drm_mock_sched_job_wait_scheduled(struct drm_mock_sched_job *job,
				       long timeout)
{
	KUNIT_ASSERT_NOT_NULL(job->test, job->scheduled);
	return dma_fence_wait_timeout(job->scheduled, false, timeout) > 0;
}

/**
 * drm_mock_sched_job_wait_finished - wait for a job's finished fence
 * @job: a submitted job
 * @timeout: how long to wait, in jiffies
 *
 * Returns: true when the fence signalled in time.
 */
bool drm_mock_sched_job_wait_finished(struct drm_mock_sched_job *job,
				      long timeout)
{
	KUNIT_ASSERT_NOT_NULL(job->test, job->finished);
	return dma_fence_wait_timeout(job->finished, false, timeout) > 0;
}

/**
 * drm_mock_sched_job_wait_freed - wait until free_job released a job
 * @job: a submitted job
 * @timeout: how long to wait, in jiffies
 *
 * Returns: true when free_job was called in time.
 */
bool drm_mock_sched_job_wait_freed(struct drm_mock_sched_job *job,
				   long timeout)
{
	return wait_event_timeout(drm_mock_global_wq,
				  READ_ONCE(job->cleaned) &&
				  atomic_read(&job->free_calls) > 0,
				  timeout) > 0;
}

/**
 * drm_mock_sched_job_is_finished - has the finished fence signalled?
 * @job: an armed job
 *
 * Returns: true when the job's finished fence signalled.
 */
bool drm_mock_sched_job_is_finished(struct drm_mock_sched_job *job)
{
	return job->finished && dma_fence_is_signaled(job->finished);
}

/**
 * drm_mock_sched_job_is_scheduled - has the scheduled fence signalled?
 * @job: an armed job
 *
 * Returns: true when the job's scheduled fence signalled.
 */
bool drm_mock_sched_job_is_scheduled(struct drm_mock_sched_job *job)
{
	return job->scheduled && dma_fence_is_signaled(job->scheduled);
}

/**
 * drm_mock_sched_job_error - error of a finished job
 * @job: an armed job
 *
 * Returns: the finished fence's error, 0 if none or if not signalled.
 */
int drm_mock_sched_job_error(struct drm_mock_sched_job *job)
{
	if (!drm_mock_sched_job_is_finished(job))
		return 0;
	return job->finished->error;
}

/**
 * drm_mock_sched_job_order - global order stamp of a job's last run
 * @job: a job
 *
 * Returns: a number that grows with every run_job call of any mock
 * scheduler, 0 when the job never ran.
 */
u64 drm_mock_sched_job_order(struct drm_mock_sched_job *job)
{
	return READ_ONCE(job->run_stamp);
}

MODULE_DESCRIPTION("KUnit tests for the DRM GPU scheduler");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
