// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Scheduler workers
 *
 * The run worker picks ready entities (see sched_rq.c) and hands their head
 * jobs to the hardware while credits last. The free worker gives completed
 * jobs back to the driver, oldest first. Both run on
 * &drm_gpu_scheduler.submit_wq and handle a bounded batch of jobs per
 * invocation, requeueing themselves when more is left, so a shared
 * workqueue is not monopolised.
 *
 * run_job and free_job are called from the workers inside dma-fence
 * signalling critical sections: the finished fences of the jobs behind them
 * cannot signal until those calls return, so lockdep must see any
 * allocation or lock in them that could wait on such a fence.
 * timedout_job is not: a handler stops the scheduler, and so waits for
 * the workers, which lockdep would report as a wait inside the section.
 */

#include <linux/dma-fence.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "sched_internal.h"

#define CREATE_TRACE_POINTS
#include "gpu_scheduler_trace.h"

/* Jobs one run or free worker invocation handles before it yields. */
#define DRM_SCHED_WORKER_BATCH	32

/* Queues the run worker, unless the scheduler is paused. */
void drm_sched_wakeup(struct drm_gpu_scheduler *sched)
{
	if (!READ_ONCE(sched->pause_submit))
		queue_work(sched->submit_wq, &sched->work_run_job);
}

void drm_sched_queue_free(struct drm_gpu_scheduler *sched)
{
	if (!READ_ONCE(sched->pause_submit))
		queue_work(sched->submit_wq, &sched->work_free_job);
}

/* The hardware is done with @job: signal it and let the free worker run. */
void drm_sched_job_done(struct drm_sched_job *job, int result)
{
	struct drm_gpu_scheduler *sched = job->sched;
	struct drm_sched_fence *s_fence = job->s_fence;

	atomic_sub(job->credits, &sched->credit_count);
	atomic_dec(sched->score);
	drm_sched_fair_job_done(job);
	trace_drm_sched_job_done(s_fence);

	dma_fence_get(&s_fence->finished);
	drm_sched_fence_finished(s_fence, result);
	dma_fence_put(&s_fence->finished);

	drm_sched_queue_free(sched);
	drm_sched_wakeup(sched);
}

void drm_sched_job_done_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct drm_sched_job *job = container_of(cb, struct drm_sched_job, cb);

	drm_sched_job_done(job, f->error);
}

/*
 * Signals whatever of @job's fences did not signal yet, @error on the
 * finished one, and gives the job back to the driver.
 */
void drm_sched_cancel_job_now(struct drm_sched_job *job, int error)
{
	struct drm_sched_fence *s_fence = job->s_fence;
	bool cookie = dma_fence_begin_signalling();

	/* A job that never ran reports the error on both of its fences. */
	if (!dma_fence_is_signaled(&s_fence->scheduled)) {
		dma_fence_set_error(&s_fence->scheduled, error);
		dma_fence_signal(&s_fence->scheduled);
	}
	if (!dma_fence_is_signaled(&s_fence->finished))
		drm_sched_fence_finished(s_fence, error);
	job->ops->free_job(job);

	dma_fence_end_signalling(cookie);
}

/* Hands @job, whose credits are already counted, to the hardware. */
static void drm_sched_run_one(struct drm_gpu_scheduler *sched,
			      struct drm_sched_job *job)
{
	struct drm_sched_fence *s_fence = job->s_fence;
	struct dma_fence *hw;
	bool cookie;

	spin_lock(&sched->job_list_lock);
	list_add_tail(&job->list, &sched->pending_list);
	drm_sched_tdr_arm_locked(sched);
	spin_unlock(&sched->job_list_lock);

	cookie = dma_fence_begin_signalling();
	hw = sched->ops->run_job(job);
	drm_sched_fence_scheduled(s_fence, IS_ERR_OR_NULL(hw) ? NULL : hw);

	if (IS_ERR_OR_NULL(hw)) {
		drm_sched_job_done(job, PTR_ERR_OR_ZERO(hw));
	} else {
		if (dma_fence_add_callback(hw, &job->cb, drm_sched_job_done_cb))
			drm_sched_job_done(job, hw->error);
		dma_fence_put(hw);
	}
	dma_fence_end_signalling(cookie);
}

static void drm_sched_run_work(struct work_struct *work)
{
	struct drm_gpu_scheduler *sched =
		container_of(work, struct drm_gpu_scheduler, work_run_job);
	unsigned int budget = DRM_SCHED_WORKER_BATCH;

	while (!READ_ONCE(sched->pause_submit)) {
		struct drm_sched_entity *entity;
		struct drm_sched_job *job;

		if (!budget--) {
			drm_sched_wakeup(sched);
			return;
		}

		entity = drm_sched_select_entity(sched);
		if (!entity)
			return;

		job = drm_sched_entity_pop_job(entity);
		if (job) {
			/* The run record counts the job's own credits. */
			atomic_add(job->credits, &sched->credit_count);
			trace_drm_sched_job_run(job, entity);
		}
		/* From here on the entity may be freed under us. */
		complete_all(&entity->entity_idle);
		if (!job)
			continue;

		drm_sched_run_one(sched, job);
		wake_up_all(&sched->job_scheduled);
	}
}

/*
 * Takes the oldest pending job off the list if it has finished; that is
 * progress, which the timeout learns in the same step.
 */
static struct drm_sched_job *drm_sched_take_finished(struct drm_gpu_scheduler *sched)
{
	struct drm_sched_job *job;

	spin_lock(&sched->job_list_lock);
	job = list_first_entry_or_null(&sched->pending_list,
				       struct drm_sched_job, list);
	if (job && test_bit(DMA_FENCE_FLAG_SIGNALED_BIT,
			    &job->s_fence->finished.flags)) {
		list_del_init(&job->list);
		drm_sched_tdr_progress_locked(sched);
	} else {
		job = NULL;
	}
	spin_unlock(&sched->job_list_lock);
	return job;
}

static void drm_sched_free_work(struct work_struct *work)
{
	struct drm_gpu_scheduler *sched =
		container_of(work, struct drm_gpu_scheduler, work_free_job);
	unsigned int budget = DRM_SCHED_WORKER_BATCH;
	struct drm_sched_job *job;
	bool cookie;

	cookie = dma_fence_begin_signalling();
	while (!READ_ONCE(sched->pause_submit) && budget) {
		job = drm_sched_take_finished(sched);
		if (!job)
			break;
		sched->ops->free_job(job);
		budget--;
	}
	dma_fence_end_signalling(cookie);

	if (!budget)
		drm_sched_queue_free(sched);
}

/**
 * drm_sched_pick_best - the least loaded of a list of schedulers
 * @sched_list: candidate schedulers
 * @num_sched_list: entries in @sched_list
 *
 * The load of a scheduler is its &drm_gpu_scheduler.score: the jobs pushed
 * to it that did not finish yet (plus whatever the driver adds when it
 * shares the counter). Schedulers that are not ready are skipped.
 *
 * Returns: the ready scheduler with the lowest score, or NULL when none is
 * ready.
 */
struct drm_gpu_scheduler *
drm_sched_pick_best(struct drm_gpu_scheduler **sched_list,
		    unsigned int num_sched_list)
{
	struct drm_gpu_scheduler *best = NULL;
	int best_score = INT_MAX;
	unsigned int i;

	for (i = 0; i < num_sched_list; i++) {
		struct drm_gpu_scheduler *sched = sched_list[i];
		int score;

		if (!READ_ONCE(sched->ready))
			continue;
		score = atomic_read(sched->score);
		if (score < best_score) {
			best = sched;
			best_score = score;
		}
	}

	if (!best)
		pr_warn_once("drm_sched: none of %u schedulers is ready\n",
			     num_sched_list);
	return best;
}
EXPORT_SYMBOL(drm_sched_pick_best);

/**
 * drm_sched_wqueue_ready - whether the scheduler is initialised
 * @sched: the scheduler
 *
 * Returns: true between drm_sched_init() and drm_sched_fini().
 */
bool drm_sched_wqueue_ready(struct drm_gpu_scheduler *sched)
{
	return sched->ready;
}
EXPORT_SYMBOL(drm_sched_wqueue_ready);

/**
 * drm_sched_wqueue_stop - pause the run and free workers
 * @sched: the scheduler
 *
 * Returns once neither worker runs. Jobs keep completing on the hardware;
 * they are freed after drm_sched_wqueue_start().
 */
void drm_sched_wqueue_stop(struct drm_gpu_scheduler *sched)
{
	struct work_struct *workers[] = {
		&sched->work_run_job, &sched->work_free_job,
	};
	unsigned int i;

	/* Queued work sees the flag and returns; running work is waited for. */
	WRITE_ONCE(sched->pause_submit, true);
	for (i = 0; i < ARRAY_SIZE(workers); i++)
		cancel_work_sync(workers[i]);
}
EXPORT_SYMBOL(drm_sched_wqueue_stop);

/**
 * drm_sched_wqueue_start - resume the run and free workers
 * @sched: the scheduler
 */
void drm_sched_wqueue_start(struct drm_gpu_scheduler *sched)
{
	WRITE_ONCE(sched->pause_submit, false);
	/* Whatever became ready or finished meanwhile is picked up now. */
	drm_sched_wakeup(sched);
	drm_sched_queue_free(sched);
	/* The timeout was not armed while the workers were stopped. */
	drm_sched_tdr_arm(sched);
}
EXPORT_SYMBOL(drm_sched_wqueue_start);

/**
 * drm_sched_job_is_signaled - whether a job on the hardware is done
 * @job: a job on &drm_gpu_scheduler.pending_list
 *
 * For drivers that sort the pending jobs during a reset. The answer only
 * holds while the scheduler is stopped (it warns otherwise): the hardware
 * fence may signal any time, but a job that is done stays on the list until
 * the free worker runs again. drm_sched_stop() detaches the jobs from
 * their hardware fences, so after it only the jobs that had finished
 * before read as signalled; use drm_sched_wqueue_stop() to keep watching
 * the hardware.
 *
 * Returns: true when the job's hardware fence or its finished fence has
 * signalled.
 */
bool drm_sched_job_is_signaled(struct drm_sched_job *job)
{
	struct drm_sched_fence *s_fence = job->s_fence;

	WARN_ON(!drm_sched_is_stopped(job->sched));
	if (dma_fence_is_signaled(&s_fence->finished))
		return true;
	return s_fence->parent && dma_fence_is_signaled(s_fence->parent);
}
EXPORT_SYMBOL(drm_sched_job_is_signaled);

static int drm_sched_alloc_rqs(struct drm_gpu_scheduler *sched, u32 num_rqs)
{
	struct drm_sched_rq *rqs;
	u32 i;

	/* The pointer array and the run queues share one allocation. */
	sched->sched_rq = kzalloc(num_rqs * (sizeof(*sched->sched_rq) + sizeof(*rqs)),
				  GFP_KERNEL);
	if (!sched->sched_rq)
		return -ENOMEM;

	rqs = (struct drm_sched_rq *)(sched->sched_rq + num_rqs);
	for (i = 0; i < num_rqs; i++) {
		drm_sched_rq_init(sched, &rqs[i]);
		sched->sched_rq[i] = &rqs[i];
	}
	sched->num_rqs = num_rqs;
	return 0;
}

/**
 * drm_sched_init - initialise a scheduler
 * @sched: the scheduler, zeroed by the caller
 * @args: its parameters
 *
 * Returns: 0 on success; -EINVAL when @args lacks ops, run_job or free_job,
 * when num_rqs is 0 or above %DRM_SCHED_PRIORITY_COUNT, when
 * credit_limit is 0, or when override_policy names an unknown policy;
 * -ENOMEM when an allocation failed.
 */
int drm_sched_init(struct drm_gpu_scheduler *sched,
		   const struct drm_sched_init_args *args)
{
	int ret;

	if (!args->ops || !args->ops->run_job || !args->ops->free_job) {
		pr_err("drm_sched: %s: run_job and free_job are required\n",
		       args->name ?: "scheduler");
		return -EINVAL;
	}
	if (!args->num_rqs || args->num_rqs > DRM_SCHED_PRIORITY_COUNT) {
		pr_err("drm_sched: %s: num_rqs must be 1 to %d, not %u\n",
		       args->name ?: "scheduler", DRM_SCHED_PRIORITY_COUNT,
		       args->num_rqs);
		return -EINVAL;
	}
	if (!args->credit_limit) {
		pr_err("drm_sched: %s: credit_limit must not be 0\n",
		       args->name ?: "scheduler");
		return -EINVAL;
	}
	if (args->override_policy && !drm_sched_policy_known(args->policy)) {
		pr_err("drm_sched: %s: unknown policy %d\n",
		       args->name ?: "scheduler", args->policy);
		return -EINVAL;
	}
	if (sched->sched_rq) {
		pr_warn("drm_sched: %s: already initialised\n", sched->name);
		return 0;
	}

	sched->ops = args->ops;
	sched->name = args->name;
	sched->dev = args->dev;
	sched->credit_limit = args->credit_limit;
	sched->timeout = args->timeout;
	sched->hang_limit = args->hang_limit;
	sched->timeout_wq = args->timeout_wq ?: system_wq;
	atomic_set(&sched->_score, 0);
	sched->score = args->score ?: &sched->_score;
	atomic_set(&sched->credit_count, 0);
	atomic64_set(&sched->job_id_count, 0);
	spin_lock_init(&sched->job_list_lock);
	INIT_LIST_HEAD(&sched->pending_list);
	init_waitqueue_head(&sched->job_scheduled);
	INIT_WORK(&sched->work_run_job, drm_sched_run_work);
	INIT_WORK(&sched->work_free_job, drm_sched_free_work);
	drm_sched_tdr_init(sched);
	sched->pause_submit = false;
	sched->free_guilty = false;
	sched->policy = args->override_policy ? args->policy : -1;
	sched->clock = NULL;
	atomic64_set(&sched->fair_clock, 0);
	atomic64_set(&sched->fair_busy_until, 0);
	atomic64_set(&sched->fair_last_ns, 0);

	sched->timeline = drm_sched_timeline_create(args->name);
	if (!sched->timeline)
		return -ENOMEM;

	if (args->submit_wq) {
		sched->submit_wq = args->submit_wq;
		sched->own_submit_wq = false;
	} else {
		sched->submit_wq = alloc_ordered_workqueue("%s", WQ_MEM_RECLAIM,
							   args->name ?: "drm_sched");
		if (!sched->submit_wq) {
			ret = -ENOMEM;
			goto err_timeline;
		}
		sched->own_submit_wq = true;
	}

	ret = drm_sched_alloc_rqs(sched, args->num_rqs);
	if (ret)
		goto err_wq;

	sched->ready = true;
	return 0;

err_wq:
	if (sched->own_submit_wq)
		destroy_workqueue(sched->submit_wq);
	sched->submit_wq = NULL;
err_timeline:
	drm_sched_timeline_put(sched->timeline);
	sched->timeline = NULL;
	return ret;
}
EXPORT_SYMBOL(drm_sched_init);

/*
 * Detaches every entity from the scheduler and cancels the jobs they still
 * queue. An entity is found on its run queue but locked before it: the
 * lock order is entity, then run queue. So each entity is only tried under
 * the run queue lock, and the walk backs off when that fails, which lets
 * an entity being torn down (or moved to another scheduler) concurrently
 * finish leaving the run queue first. Holding both locks while detaching
 * keeps the entity alive and in place; the cancelling itself, which calls
 * into the driver, happens after both are dropped.
 */
static void drm_sched_detach_entities(struct drm_gpu_scheduler *sched)
{
	struct drm_sched_job *job, *next;
	LIST_HEAD(cancelled);
	u32 prio;

	for (prio = 0; prio < sched->num_rqs; prio++) {
		struct drm_sched_rq *rq = sched->sched_rq[prio];
		struct drm_sched_entity *entity;

		spin_lock(&rq->lock);
		/* No entity joins from now on, not even one moving here. */
		rq->dead = true;
		while ((entity = list_first_entry_or_null(&rq->entities,
							  struct drm_sched_entity,
							  list))) {
			if (!spin_trylock(&entity->lock)) {
				spin_unlock(&rq->lock);
				cpu_relax();
				spin_lock(&rq->lock);
				continue;
			}
			drm_sched_entity_detach_locked(entity, rq, &cancelled);
			spin_unlock(&entity->lock);
		}
		spin_unlock(&rq->lock);
	}

	list_for_each_entry_safe(job, next, &cancelled, list) {
		list_del_init(&job->list);
		drm_sched_deps_disarm(job);
		atomic_dec(job->sched->score);
		drm_sched_cancel_job_now(job, -ECANCELED);
	}
}

/*
 * Cancels the jobs that were handed to the hardware and did not finish.
 * With a cancel_job callback the driver signals each hardware fence first,
 * so the job finishes through its own callback with the driver's error;
 * whatever is still unsignalled afterwards finishes with -ECANCELED.
 */
static void drm_sched_cancel_pending(struct drm_gpu_scheduler *sched)
{
	struct drm_sched_job *job;

	for (;;) {
		struct dma_fence *parent;

		spin_lock(&sched->job_list_lock);
		job = list_first_entry_or_null(&sched->pending_list,
					       struct drm_sched_job, list);
		if (job)
			list_del_init(&job->list);
		spin_unlock(&sched->job_list_lock);
		if (!job)
			break;

		if (job->ops->cancel_job &&
		    !dma_fence_is_signaled(&job->s_fence->finished))
			job->ops->cancel_job(job);

		/*
		 * The hardware fence's callback gives the credits and the score
		 * back when it runs; it runs under the fence lock, which the
		 * removal takes, so a failed removal with the job unfinished
		 * means there was no callback: drm_sched_stop() detached the
		 * job and already gave its credits back.
		 */
		parent = job->s_fence->parent;
		if (!dma_fence_is_signaled(&job->s_fence->finished)) {
			if (parent && dma_fence_remove_callback(parent, &job->cb)) {
				atomic_sub(job->credits, &sched->credit_count);
				atomic_dec(sched->score);
			} else if (!dma_fence_is_signaled(&job->s_fence->finished)) {
				atomic_dec(sched->score);
			}
		}
		drm_sched_cancel_job_now(job, -ECANCELED);
	}
}

/**
 * drm_sched_fini - tear a scheduler down
 * @sched: the scheduler
 *
 * Stops the workers and the timeout handler, then cancels all remaining
 * work: jobs still queued in entities and jobs on the hardware get their
 * finished fences signalled with -ECANCELED and are handed to free_job.
 * A driver with &drm_sched_backend_ops.cancel_job is asked first to take
 * each job on the hardware off it; such a job finishes with the error of
 * its hardware fence.
 * The entities are detached (they point at no run queue afterwards) and
 * reject further jobs. Fences of the scheduler stay valid after this.
 */
void drm_sched_fini(struct drm_gpu_scheduler *sched)
{
	if (!sched->sched_rq)
		return;

	/* drm_sched_pick_best() sends no entity here any more. */
	WRITE_ONCE(sched->ready, false);
	drm_sched_wqueue_stop(sched);
	cancel_delayed_work_sync(&sched->work_tdr);

	/* Older jobs first: fences of one entity signal in order. */
	drm_sched_cancel_pending(sched);
	drm_sched_detach_entities(sched);
	wake_up_all(&sched->job_scheduled);

	if (sched->own_submit_wq)
		destroy_workqueue(sched->submit_wq);
	sched->submit_wq = NULL;
	sched->ready = false;

	kfree(sched->sched_rq);
	sched->sched_rq = NULL;
	sched->num_rqs = 0;

	drm_sched_timeline_put(sched->timeline);
	sched->timeline = NULL;
}
EXPORT_SYMBOL(drm_sched_fini);

static int __init drm_sched_module_init(void)
{
	return drm_sched_fence_slab_create();
}

static void __exit drm_sched_module_exit(void)
{
	drm_sched_fence_slab_destroy();
}

module_init(drm_sched_module_init);
module_exit(drm_sched_module_exit);

MODULE_DESCRIPTION("DRM GPU scheduler");
MODULE_LICENSE("Dual MIT/GPL");
