// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Timeouts
 *
 * One delayed work per scheduler watches the hardware. It is armed when a
 * job goes to the hardware while none is pending, pushed back whenever a
 * job completes, and cancelled when nothing is pending: the timeout
 * measures the time since the hardware last made progress, not the age of
 * any one job.
 *
 * Whether anything is pending and what that does to the timer are decided
 * in one step under &drm_gpu_scheduler.job_list_lock. Deciding under the
 * lock and touching the timer after dropping it would let a worker that
 * found the list empty cancel the timer right after another worker queued
 * a job behind the check, leaving that job without a timeout.
 *
 * When it fires, the oldest pending job is taken off the pending list and
 * handed to &drm_sched_backend_ops.timedout_job, so that the free worker
 * cannot free it meanwhile. What the scheduler does with the job afterwards
 * is described at &enum drm_gpu_sched_stat: it touches the job again only
 * for %DRM_GPU_SCHED_STAT_NO_HANG and when drm_sched_stop() left it to be
 * freed, because a driver that restarted the scheduler from its handler may
 * see the job freed on another CPU before the handler returns.
 */

#include <linux/dma-fence.h>

#include "sched_internal.h"

static bool drm_sched_tdr_enabled(struct drm_gpu_scheduler *sched)
{
	return sched->timeout != MAX_SCHEDULE_TIMEOUT;
}

/*
 * Sets the timer for what is pending now: starts it when a job is pending,
 * from @delay jiffies when @restart and only if it is not running otherwise,
 * and stops it when nothing is pending.
 */
static void drm_sched_tdr_update_locked(struct drm_gpu_scheduler *sched,
					bool restart, unsigned long delay)
{
	lockdep_assert_held(&sched->job_list_lock);

	if (!drm_sched_tdr_enabled(sched))
		return;
	/* Stopped for a reset: drm_sched_start() arms it again. */
	if (list_empty(&sched->pending_list) || READ_ONCE(sched->pause_submit))
		cancel_delayed_work(&sched->work_tdr);
	else if (restart)
		mod_delayed_work(sched->timeout_wq, &sched->work_tdr, delay);
	else
		queue_delayed_work(sched->timeout_wq, &sched->work_tdr, delay);
}

/* The handler called it a false alarm: the job is pending again. */
static void drm_sched_tdr_reinsert(struct drm_gpu_scheduler *sched,
				   struct drm_sched_job *job)
{
	bool done;

	spin_lock(&sched->job_list_lock);
	/* NO_HANG after drm_sched_stop() put the job back is a driver bug. */
	if (WARN_ON_ONCE(!list_empty(&job->list))) {
		spin_unlock(&sched->job_list_lock);
		return;
	}
	list_add(&job->list, &sched->pending_list);
	done = dma_fence_is_signaled(&job->s_fence->finished);
	spin_unlock(&sched->job_list_lock);

	/* It finished while it was off the list: nobody else saw that. */
	if (done)
		drm_sched_queue_free(sched);
}

static void drm_sched_timedout_work(struct work_struct *work)
{
	struct drm_gpu_scheduler *sched =
		container_of(work, struct drm_gpu_scheduler, work_tdr.work);
	enum drm_gpu_sched_stat status = DRM_GPU_SCHED_STAT_RESET;
	struct drm_sched_job *job;
	bool cookie;

	spin_lock(&sched->job_list_lock);
	job = list_first_entry_or_null(&sched->pending_list,
				       struct drm_sched_job, list);
	if (job)
		list_del_init(&job->list);
	spin_unlock(&sched->job_list_lock);

	if (job) {
		/*
		 * Not in a fence signalling section: handlers stop the
		 * scheduler, which waits for the workers that are in one.
		 */
		status = sched->ops->timedout_job(job);
		/* From here on @job may be freed unless one of these holds. */
		if (sched->free_guilty) {
			/* drm_sched_stop() found the job already finished. */
			sched->free_guilty = false;
			cookie = dma_fence_begin_signalling();
			job->ops->free_job(job);
			dma_fence_end_signalling(cookie);
		} else if (status == DRM_GPU_SCHED_STAT_NO_HANG) {
			drm_sched_tdr_reinsert(sched, job);
		}
	}

	if (status != DRM_GPU_SCHED_STAT_ENODEV)
		drm_sched_tdr_arm(sched);
}

void drm_sched_tdr_init(struct drm_gpu_scheduler *sched)
{
	INIT_DELAYED_WORK(&sched->work_tdr, drm_sched_timedout_work);
}

/* Starts the timeout if a job is pending and it is not running already. */
void drm_sched_tdr_arm(struct drm_gpu_scheduler *sched)
{
	spin_lock(&sched->job_list_lock);
	drm_sched_tdr_arm_locked(sched);
	spin_unlock(&sched->job_list_lock);
}

/* drm_sched_tdr_arm() for a caller that holds the job list lock. */
void drm_sched_tdr_arm_locked(struct drm_gpu_scheduler *sched)
{
	drm_sched_tdr_update_locked(sched, false, sched->timeout);
}

/*
 * A job completed and left the pending list: the timeout starts over, or
 * stops if nothing is left. Caller holds the job list lock.
 */
void drm_sched_tdr_progress_locked(struct drm_gpu_scheduler *sched)
{
	drm_sched_tdr_update_locked(sched, true, sched->timeout);
}

/**
 * drm_sched_fault - report a hardware fault
 * @sched: the scheduler whose hardware faulted
 *
 * Runs the timeout handler now instead of when the timeout expires.
 */
void drm_sched_fault(struct drm_gpu_scheduler *sched)
{
	if (sched->timeout_wq)
		mod_delayed_work(sched->timeout_wq, &sched->work_tdr, 0);
}
EXPORT_SYMBOL(drm_sched_fault);

/**
 * drm_sched_tdr_queue_imm - time out immediately from now on
 * @sched: the scheduler
 *
 * Sets the timeout to zero and runs the timeout handler now. Used when the
 * driver knows the hardware is gone for good.
 */
void drm_sched_tdr_queue_imm(struct drm_gpu_scheduler *sched)
{
	spin_lock(&sched->job_list_lock);
	sched->timeout = 0;
	spin_unlock(&sched->job_list_lock);
	mod_delayed_work(sched->timeout_wq, &sched->work_tdr, 0);
}
EXPORT_SYMBOL(drm_sched_tdr_queue_imm);

/**
 * drm_sched_suspend_timeout - hold the timeout
 * @sched: the scheduler
 *
 * For hardware that is known to make no progress for a while, e.g. when it
 * is preempted. Resume with drm_sched_resume_timeout().
 *
 * Returns: the jiffies that were left of the timeout, or the full timeout
 * when it was not running.
 */
unsigned long drm_sched_suspend_timeout(struct drm_gpu_scheduler *sched)
{
	unsigned long now = jiffies;
	unsigned long expires = READ_ONCE(sched->work_tdr.timer.expires);

	/* Push the expiry out of reach; resume brings it back. */
	if (mod_delayed_work(sched->timeout_wq, &sched->work_tdr,
			     MAX_SCHEDULE_TIMEOUT) && time_after(expires, now))
		return expires - now;
	return sched->timeout;
}
EXPORT_SYMBOL(drm_sched_suspend_timeout);

/**
 * drm_sched_resume_timeout - release a held timeout
 * @sched: the scheduler
 * @remaining: what drm_sched_suspend_timeout() returned
 *
 * The timeout fires after @remaining jiffies unless a job completes first;
 * it stays off when nothing is pending.
 */
void drm_sched_resume_timeout(struct drm_gpu_scheduler *sched,
			      unsigned long remaining)
{
	spin_lock(&sched->job_list_lock);
	drm_sched_tdr_update_locked(sched, true, remaining);
	spin_unlock(&sched->job_list_lock);
}
EXPORT_SYMBOL(drm_sched_resume_timeout);

/**
 * drm_sched_stop - stop the scheduler for a reset
 * @sched: the scheduler
 * @bad: the job that caused the reset, or NULL
 *
 * Stops the workers and the timeout, puts @bad back at the head of the
 * pending list, and detaches the pending jobs from their hardware fences,
 * returning their credits; jobs that finished meanwhile are freed (@bad
 * after the timeout handler returns). After the reset the driver may call
 * drm_sched_resubmit_jobs() and must call drm_sched_start().
 */
void drm_sched_stop(struct drm_gpu_scheduler *sched, struct drm_sched_job *bad)
{
	struct drm_sched_job *job, *next;

	drm_sched_wqueue_stop(sched);

	if (bad && bad->sched == sched) {
		spin_lock(&sched->job_list_lock);
		if (list_empty(&bad->list))
			list_add(&bad->list, &sched->pending_list);
		spin_unlock(&sched->job_list_lock);
	}

	/* Newest first, so the jobs the hardware still owes come out in order. */
	list_for_each_entry_safe_reverse(job, next, &sched->pending_list, list) {
		struct drm_sched_fence *s_fence = job->s_fence;
		struct dma_fence *parent = s_fence->parent;
		unsigned long flags;

		if (parent && dma_fence_remove_callback(parent, &job->cb)) {
			spin_lock_irqsave(&s_fence->lock, flags);
			s_fence->parent = NULL;
			spin_unlock_irqrestore(&s_fence->lock, flags);
			dma_fence_put(parent);
			atomic_sub(job->credits, &sched->credit_count);
			continue;
		}

		/* Detached by an earlier stop: it stays until the next start. */
		if (!parent && !dma_fence_is_signaled(&s_fence->finished))
			continue;

		/* Finished already. */
		spin_lock(&sched->job_list_lock);
		list_del_init(&job->list);
		spin_unlock(&sched->job_list_lock);
		dma_fence_wait(&s_fence->finished, false);

		if (job == bad)
			sched->free_guilty = true;
		else
			sched->ops->free_job(job);
	}

	cancel_delayed_work(&sched->work_tdr);
}
EXPORT_SYMBOL(drm_sched_stop);

/**
 * drm_sched_start - restart a scheduler after a reset
 * @sched: the scheduler
 *
 * Reattaches the pending jobs to their hardware fences; a job left without
 * one finishes with -ECANCELED. Restarts the timeout and the workers.
 */
void drm_sched_start(struct drm_gpu_scheduler *sched)
{
	struct drm_sched_job *job, *next;

	drm_sched_fair_restart(sched);
	list_for_each_entry_safe(job, next, &sched->pending_list, list) {
		struct dma_fence *parent = job->s_fence->parent;

		atomic_add(job->credits, &sched->credit_count);
		if (!parent) {
			drm_sched_job_done(job, -ECANCELED);
			continue;
		}
		if (dma_fence_add_callback(parent, &job->cb, drm_sched_job_done_cb))
			drm_sched_job_done(job, parent->error);
	}

	drm_sched_wqueue_start(sched);
	drm_sched_tdr_arm(sched);
}
EXPORT_SYMBOL(drm_sched_start);

/**
 * drm_sched_resubmit_jobs - run the pending jobs again after a reset
 * @sched: the scheduler, stopped with drm_sched_stop()
 *
 * Calls run_job again for every pending job. The first job found with more
 * than &drm_gpu_scheduler.hang_limit hangs is guilty: it and every later
 * job of its context get -ECANCELED on their finished fence before run_job,
 * so the driver can skip them.
 */
void drm_sched_resubmit_jobs(struct drm_gpu_scheduler *sched)
{
	struct drm_sched_job *job, *next;
	bool have_guilty = false;
	u64 guilty_context = 0;

	list_for_each_entry_safe(job, next, &sched->pending_list, list) {
		struct drm_sched_fence *s_fence = job->s_fence;
		struct dma_fence *hw;

		if (!have_guilty && atomic_read(&job->karma) > sched->hang_limit) {
			have_guilty = true;
			guilty_context = s_fence->scheduled.context;
		}
		if (have_guilty && s_fence->scheduled.context == guilty_context &&
		    !s_fence->finished.error)
			dma_fence_set_error(&s_fence->finished, -ECANCELED);

		hw = sched->ops->run_job(job);
		dma_fence_put(s_fence->parent);
		s_fence->parent = NULL;
		if (IS_ERR(hw)) {
			if (!s_fence->finished.error)
				dma_fence_set_error(&s_fence->finished, PTR_ERR(hw));
		} else if (hw) {
			s_fence->parent = hw;
		}
	}
}
EXPORT_SYMBOL(drm_sched_resubmit_jobs);

/* Whether @entity is the one that created the fences of @job. */
static bool drm_sched_entity_owns(struct drm_sched_entity *entity,
				  struct drm_sched_job *job)
{
	return entity->fence_context == job->s_fence->scheduled.context;
}

/**
 * drm_sched_increase_karma - blame a job for a hang
 * @bad: the job
 *
 * Increments the job's karma. Once it exceeds the scheduler's hang limit,
 * the entity that submitted the job is marked guilty through the flag given
 * to drm_sched_entity_init(), and its later jobs are cancelled. Kernel
 * priority entities are never marked.
 */
void drm_sched_increase_karma(struct drm_sched_job *bad)
{
	struct drm_gpu_scheduler *sched;
	u32 prio;

	if (!bad || !bad->sched)
		return;
	sched = bad->sched;

	if (atomic_inc_return(&bad->karma) <= sched->hang_limit)
		return;

	/* The job left its entity; find the entity by its fence context. */
	for (prio = DRM_SCHED_PRIORITY_KERNEL + 1; prio < sched->num_rqs; prio++) {
		struct drm_sched_rq *rq = sched->sched_rq[prio];
		struct drm_sched_entity *entity;
		bool found = false;

		spin_lock(&rq->lock);
		list_for_each_entry(entity, &rq->entities, list) {
			if (drm_sched_entity_owns(entity, bad)) {
				if (entity->guilty)
					atomic_set(entity->guilty, 1);
				found = true;
				break;
			}
		}
		spin_unlock(&rq->lock);
		if (found)
			break;
	}
}
EXPORT_SYMBOL(drm_sched_increase_karma);
