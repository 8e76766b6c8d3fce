// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Entities
 *
 * An entity is attached to one run queue from drm_sched_entity_init() until
 * it is killed or its scheduler goes away, so the scheduler can always find
 * every entity that points at its run queues.
 *
 * Killing an entity (drm_sched_entity_fini(), or a flush by a dying
 * process) cancels the jobs still queued. Each cancelled job still waits
 * for its own dependencies and for the job cancelled before it, so that
 * whoever waits on its finished fence never observes it before the work it
 * depended on; then its fences signal with -ESRCH and the driver gets it
 * back through &drm_sched_backend_ops.free_job. A job pushed to a killed
 * entity takes the same path instead of hanging its waiters.
 */

#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "sched_internal.h"
#include "gpu_scheduler_trace.h"

static enum drm_sched_priority
drm_sched_entity_clamp_priority(struct drm_sched_entity *entity,
				struct drm_gpu_scheduler *sched)
{
	if (entity->priority < sched->num_rqs)
		return entity->priority;

	pr_err_once("drm_sched: priority %d not served by %s, using %u\n",
		    entity->priority, sched->name ?: "scheduler",
		    sched->num_rqs - 1);
	return sched->num_rqs - 1;
}

static void drm_sched_entity_set_schedulers(struct drm_sched_entity *entity,
					    struct drm_gpu_scheduler **sched_list,
					    unsigned int num_sched_list)
{
	/* A single scheduler may live on the caller's stack: keep the pointee. */
	entity->single_sched = num_sched_list == 1 ? sched_list[0] : NULL;
	entity->sched_list = num_sched_list > 1 ? sched_list : NULL;
	entity->num_sched_list = num_sched_list;
	if (num_sched_list)
		entity->ops = sched_list[0]->ops;
}

/**
 * drm_sched_entity_init - set up an entity
 * @entity: the entity
 * @priority: the priority of its jobs
 * @sched_list: schedulers the entity may run on
 * @num_sched_list: entries in @sched_list; 0 makes an entity that cannot
 * take jobs until drm_sched_entity_modify_sched() gives it schedulers
 * @guilty: optional flag set when a job of the entity is found guilty of
 * a hang; later jobs then finish with -ECANCELED
 *
 * A priority the schedulers do not serve is lowered to the lowest they do.
 *
 * Returns: 0 on success, -EINVAL for a NULL @entity, or a @sched_list whose
 * first entry is missing or not initialised, -ENOMEM when the entity's
 * GPU time record could not be allocated.
 */
int drm_sched_entity_init(struct drm_sched_entity *entity,
			  enum drm_sched_priority priority,
			  struct drm_gpu_scheduler **sched_list,
			  unsigned int num_sched_list,
			  atomic_t *guilty)
{
	struct drm_gpu_scheduler *sched;

	if (!entity || (num_sched_list && (!sched_list || !sched_list[0])))
		return -EINVAL;

	memset(entity, 0, sizeof(*entity));
	spin_lock_init(&entity->lock);
	INIT_LIST_HEAD(&entity->list);
	RB_CLEAR_NODE(&entity->fifo_node);
	RB_CLEAR_NODE(&entity->fair_node);
	spsc_queue_init(&entity->job_queue);
	init_completion(&entity->entity_idle);
	complete_all(&entity->entity_idle);
	entity->priority = priority;
	entity->guilty = guilty;
	entity->fence_context = dma_fence_context_alloc(2);
	if (drm_sched_fair_stats_create(entity))
		return -ENOMEM;

	if (!num_sched_list)
		return 0;

	sched = sched_list[0];
	if (!sched->sched_rq) {
		pr_err("drm_sched: entity created on a scheduler that is not initialised\n");
		drm_sched_fair_stats_release(entity);
		return -EINVAL;
	}

	drm_sched_entity_set_schedulers(entity, sched_list, num_sched_list);
	entity->rq = sched->sched_rq[drm_sched_entity_clamp_priority(entity, sched)];
	/* A scheduler being torn down takes no entity: it gets no jobs. */
	if (!drm_sched_rq_add_entity(entity->rq, entity))
		entity->rq = NULL;
	return 0;
}
EXPORT_SYMBOL(drm_sched_entity_init);

/**
 * drm_sched_entity_modify_sched - change the schedulers an entity may use
 * @entity: the entity
 * @sched_list: the new schedulers; must stay valid while the entity uses
 * them when there are more than one
 * @num_sched_list: entries in @sched_list, at least 1
 *
 * The entity moves when it is next idle at drm_sched_job_arm() time.
 */
void drm_sched_entity_modify_sched(struct drm_sched_entity *entity,
				   struct drm_gpu_scheduler **sched_list,
				   unsigned int num_sched_list)
{
	if (WARN_ON_ONCE(!sched_list || !num_sched_list || !sched_list[0]))
		return;

	spin_lock(&entity->lock);
	drm_sched_entity_set_schedulers(entity, sched_list, num_sched_list);
	spin_unlock(&entity->lock);
}
EXPORT_SYMBOL(drm_sched_entity_modify_sched);

/**
 * drm_sched_entity_set_priority - change the priority of an entity
 * @entity: the entity
 * @prio: the new priority
 *
 * Takes effect at the next drm_sched_job_arm() on @entity, whether the
 * entity has one scheduler or several.
 */
void drm_sched_entity_set_priority(struct drm_sched_entity *entity, enum drm_sched_priority prio)
{
	spin_lock(&entity->lock);
	/* drm_sched_entity_select_rq() applies it when the next job is armed. */
	entity->priority = prio;
	spin_unlock(&entity->lock);
}
EXPORT_SYMBOL(drm_sched_entity_set_priority);

/**
 * drm_sched_entity_error - the error of the entity's latest job
 * @entity: the entity
 *
 * Returns: the error of the finished fence of the job that left the entity
 * last, or 0. Drivers use it to refuse new work after a failure.
 */
int drm_sched_entity_error(struct drm_sched_entity *entity)
{
	struct dma_fence *fence;
	int error = 0;

	rcu_read_lock();
	fence = rcu_dereference(entity->last_scheduled);
	if (fence)
		error = READ_ONCE(fence->error);
	rcu_read_unlock();
	return error;
}
EXPORT_SYMBOL(drm_sched_entity_error);

/* The entity has nothing queued, or never will run anything again. */
static bool drm_sched_entity_is_idle(struct drm_sched_entity *entity)
{
	return !spsc_queue_count(&entity->job_queue) || READ_ONCE(entity->stopped);
}

/* Whether the entity's next job could be handed to the hardware now. */
bool drm_sched_entity_is_ready(struct drm_sched_entity *entity)
{
	struct drm_sched_job *job = drm_sched_entity_head(entity);

	return job && !READ_ONCE(entity->stopped) &&
	       !READ_ONCE(entity->dependency) && drm_sched_deps_resolved(job);
}

static bool drm_sched_entity_last_signalled(struct drm_sched_entity *entity)
{
	struct dma_fence *fence;
	bool signalled;

	rcu_read_lock();
	fence = rcu_dereference(entity->last_scheduled);
	signalled = !fence || dma_fence_is_signaled(fence);
	rcu_read_unlock();
	return signalled;
}

/*
 * Called when a job is armed: applies priority changes and, when the entity
 * is idle, lets it move to the best of its schedulers.
 */
void drm_sched_entity_select_rq(struct drm_sched_entity *entity)
{
	struct drm_gpu_scheduler *sched;
	struct drm_sched_rq *rq;
	bool idle;

	idle = !spsc_queue_count(&entity->job_queue);
	/*
	 * Pairs with the barrier in drm_sched_entity_pop_job(): an empty
	 * queue means last_scheduled already names the job that left last.
	 */
	smp_rmb();
	idle = idle && drm_sched_entity_last_signalled(entity);

	spin_lock(&entity->lock);
	if (!entity->rq || entity->stopped) {
		spin_unlock(&entity->lock);
		return;
	}

	sched = entity->rq->sched;
	if (idle) {
		struct drm_gpu_scheduler *best = entity->single_sched;

		if (entity->sched_list)
			best = drm_sched_pick_best(entity->sched_list,
						   entity->num_sched_list);
		if (best)
			sched = best;
	}

	rq = sched->sched_rq[drm_sched_entity_clamp_priority(entity, sched)];
	if (rq != entity->rq) {
		drm_sched_rq_remove_entity(entity->rq, entity);
		/* Stay where we were if the new queue is being torn down. */
		if (drm_sched_rq_add_entity(rq, entity))
			entity->rq = rq;
		else if (!drm_sched_rq_add_entity(entity->rq, entity))
			entity->rq = NULL;
	}
	spin_unlock(&entity->lock);
}

/*
 * Cancels @job once its dependencies and the job cancelled before it on
 * @entity have signalled, and makes @job the tail of that chain.
 */
static void drm_sched_entity_chain_cancel(struct drm_sched_entity *entity,
					  struct drm_sched_job *job, int error)
{
	/* Taken first: once cancelled, the job may be freed at any time. */
	struct dma_fence *tail = dma_fence_get(&job->s_fence->finished);

	/* The lock orders the chain. */
	lockdep_assert_held(&entity->lock);

	drm_sched_deps_cancel(job, entity->killed_tail, error);
	dma_fence_put(entity->killed_tail);
	entity->killed_tail = tail;
}

/**
 * drm_sched_entity_push_job - hand a job to its entity
 * @sched_job: an armed job
 *
 * Installs the callbacks on all of the job's dependencies and queues it.
 * The job runs after every earlier job of the entity and after its
 * dependencies signalled. When the entity was killed the job is cancelled
 * instead: its fences signal with -ESRCH once its dependencies did.
 *
 * Pushing a job that was not armed warns and leaves the job to the caller.
 */
void drm_sched_entity_push_job(struct drm_sched_job *sched_job)
{
	struct drm_sched_entity *entity = sched_job->entity;
	struct drm_gpu_scheduler *sched = sched_job->sched;
	bool first;

	if (WARN_ON_ONCE(!entity || !drm_sched_job_is_armed(sched_job) ||
			 sched_job->deps.armed))
		return;

	trace_drm_sched_job_queue(sched_job, entity);
	WRITE_ONCE(entity->last_user, current->group_leader);
	sched_job->submit_ts = ktime_get();

	drm_sched_deps_arm(sched_job);

	spin_lock(&entity->lock);
	if (entity->stopped || !entity->rq || !sched) {
		drm_sched_entity_chain_cancel(entity, sched_job, -ESRCH);
		spin_unlock(&entity->lock);
		return;
	}

	atomic_inc(sched->score);
	first = spsc_queue_push(&entity->job_queue, &sched_job->queue_node);
	if (first)
		drm_sched_rq_add_entity(entity->rq, entity);
	spin_unlock(&entity->lock);

	if (first)
		drm_sched_wakeup(sched);
}
EXPORT_SYMBOL(drm_sched_entity_push_job);

static void drm_sched_entity_prepared(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct drm_sched_entity *entity =
		container_of(cb, struct drm_sched_entity, cb);
	struct drm_sched_rq *rq = READ_ONCE(entity->rq);

	WRITE_ONCE(entity->dependency, NULL);
	dma_fence_put(f);
	if (rq)
		drm_sched_wakeup(rq->sched);
}

/*
 * Takes the head job off a selected entity when it may run: its stored
 * dependencies signalled and prepare_job has nothing more to wait for.
 * Called by the run worker only.
 */
struct drm_sched_job *drm_sched_entity_pop_job(struct drm_sched_entity *entity)
{
	struct drm_sched_job *job = drm_sched_entity_head(entity);
	struct dma_fence *fence, *old;

	if (!job || !drm_sched_deps_resolved(job) || READ_ONCE(entity->dependency))
		return NULL;

	while (job->sched->ops->prepare_job) {
		fence = job->sched->ops->prepare_job(job, entity);
		if (!fence)
			break;
		if (WARN_ON_ONCE(IS_ERR(fence)))
			break;

		/*
		 * Recorded before the callback is added: once it is, the
		 * callback may drop @fence and the job may run elsewhere.
		 */
		if (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
			trace_drm_sched_job_unschedulable(job, fence);
		WRITE_ONCE(entity->dependency, fence);
		if (!dma_fence_add_callback(fence, &entity->cb,
					    drm_sched_entity_prepared))
			return NULL;
		WRITE_ONCE(entity->dependency, NULL);
		dma_fence_put(fence);
	}

	if (entity->guilty && atomic_read(entity->guilty) &&
	    !job->s_fence->finished.error)
		dma_fence_set_error(&job->s_fence->finished, -ECANCELED);

	old = rcu_replace_pointer(entity->last_scheduled,
				  dma_fence_get(&job->s_fence->finished), true);
	dma_fence_put(old);

	/*
	 * drm_sched_entity_select_rq() must not see the queue shrink before
	 * it can see the job in last_scheduled, or it could move the entity
	 * to another scheduler while this job still runs here.
	 */
	smp_wmb();
	spsc_queue_pop(&entity->job_queue);
	/* Charged in advance before the entity takes its next place. */
	drm_sched_fair_job_start(job, entity);

	spin_lock(&entity->lock);
	if (entity->rq) {
		spin_lock(&entity->rq->lock);
		drm_sched_rq_requeue_locked(entity->rq, entity);
		spin_unlock(&entity->rq->lock);
	}
	spin_unlock(&entity->lock);

	job->entity = NULL;
	return job;
}

/*
 * Stops the entity, takes it off its run queue (a killed entity points at
 * no scheduler, so it cannot outlive one) and waits until the run worker is
 * not using it.
 */
static void drm_sched_entity_stop(struct drm_sched_entity *entity)
{
	struct drm_gpu_scheduler *sched = NULL;
	struct drm_sched_rq *rq;

	spin_lock(&entity->lock);
	WRITE_ONCE(entity->stopped, true);
	rq = entity->rq;
	if (rq) {
		/* Once off the run queue, drm_sched_fini() may free it. */
		sched = rq->sched;
		drm_sched_rq_remove_entity(rq, entity);
	}
	entity->rq = NULL;
	spin_unlock(&entity->lock);

	wait_for_completion(&entity->entity_idle);
	if (sched)
		wake_up_all(&sched->job_scheduled);
}

static void drm_sched_entity_drop_prepare_fence(struct drm_sched_entity *entity)
{
	struct dma_fence *fence = READ_ONCE(entity->dependency);

	if (fence && dma_fence_remove_callback(fence, &entity->cb)) {
		WRITE_ONCE(entity->dependency, NULL);
		dma_fence_put(fence);
	}
}

/**
 * drm_sched_entity_kill - stop an entity and cancel what it still queues
 * @entity: the entity
 *
 * The entity accepts no more work from now on: it leaves its run queue,
 * drm_sched_job_init() on it fails with -ENOENT, and a job armed before and
 * pushed after is cancelled like the queued ones. Every job still queued is
 * cancelled: its fences signal with -ESRCH, each one only after its own
 * dependencies and the job ahead of it finished, and free_job is called for
 * it from a work item. Jobs already on the hardware are not affected.
 * Waits only until the run worker is not looking at the entity, not for
 * the cancelled jobs; may sleep, and may be called more than once.
 * drm_sched_entity_fini() must still be called.
 */
void drm_sched_entity_kill(struct drm_sched_entity *entity)
{
	struct drm_gpu_scheduler *sched = NULL;
	struct drm_sched_job *job;

	drm_sched_entity_stop(entity);
	drm_sched_entity_drop_prepare_fence(entity);

	spin_lock(&entity->lock);
	if (!entity->killed_tail) {
		entity->killed_tail = rcu_dereference_protected(entity->last_scheduled, true);
		dma_fence_get(entity->killed_tail);
	}
	while ((job = drm_sched_node_to_job(spsc_queue_pop(&entity->job_queue)))) {
		sched = job->sched;
		if (sched)
			atomic_dec(sched->score);
		drm_sched_entity_chain_cancel(entity, job, -ESRCH);
	}
	spin_unlock(&entity->lock);

	if (sched)
		wake_up_all(&sched->job_scheduled);
}
EXPORT_SYMBOL(drm_sched_entity_kill);

/*
 * drm_sched_fini() takes @entity off @rq for good: the entity accepts no
 * more jobs, and the jobs it still queues move to @cancelled, for the
 * caller to cancel once it dropped the locks. The entity may be freed as
 * soon as its lock is released; the jobs do not point back at it.
 */
void drm_sched_entity_detach_locked(struct drm_sched_entity *entity,
				    struct drm_sched_rq *rq,
				    struct list_head *cancelled)
{
	struct drm_sched_job *job;

	lockdep_assert_held(&entity->lock);
	lockdep_assert_held(&rq->lock);

	drm_sched_rq_remove_entity_locked(rq, entity);
	if (entity->rq == rq)
		entity->rq = NULL;
	WRITE_ONCE(entity->stopped, true);
	drm_sched_entity_drop_prepare_fence(entity);

	/* The run worker is stopped: the lock makes us the only consumer. */
	while ((job = drm_sched_node_to_job(spsc_queue_pop(&entity->job_queue)))) {
		job->entity = NULL;
		list_add_tail(&job->list, cancelled);
	}
}

/**
 * drm_sched_entity_flush - wait for an entity's queue to drain
 * @entity: the entity
 * @timeout: jiffies to wait at most, when the calling process is exiting
 *
 * Waits until every job of @entity left its queue. A process that is not
 * exiting waits until then or until it gets a fatal signal. When the last
 * process that pushed to @entity is being killed, the entity is killed too
 * and accepts no more jobs.
 *
 * Returns: the time left of @timeout.
 */
long drm_sched_entity_flush(struct drm_sched_entity *entity, long timeout)
{
	bool exiting = current->flags & PF_EXITING;
	struct task_struct *me = current->group_leader;
	wait_queue_head_t *drained = NULL;
	struct task_struct *last_user;
	long left = timeout;

	/* The run queue lives only as long as the entity is on it. */
	spin_lock(&entity->lock);
	if (entity->rq)
		drained = &entity->rq->sched->job_scheduled;
	spin_unlock(&entity->lock);
	if (!drained)
		return 0;

	/* A dying process waits at most @timeout, others until a fatal signal. */
	if (!exiting)
		wait_event_killable(*drained, drm_sched_entity_is_idle(entity));
	else if (timeout)
		left = wait_event_timeout(*drained, drm_sched_entity_is_idle(entity),
					  timeout);

	last_user = cmpxchg(&entity->last_user, me, NULL);
	if (exiting && current->exit_code == SIGKILL &&
	    (!last_user || last_user == me))
		drm_sched_entity_kill(entity);

	return left;
}
EXPORT_SYMBOL(drm_sched_entity_flush);

/**
 * drm_sched_entity_fini - tear an entity down
 * @entity: the entity
 *
 * Takes the entity off its scheduler and cancels the jobs still queued:
 * each one's fences signal with -ESRCH after its dependencies did, and the
 * driver's free_job is called for it from a work item. Does not wait for
 * that. Jobs already on the hardware are not affected.
 */
void drm_sched_entity_fini(struct drm_sched_entity *entity)
{
	drm_sched_entity_kill(entity);

	spin_lock(&entity->lock);
	dma_fence_put(entity->killed_tail);
	entity->killed_tail = NULL;
	spin_unlock(&entity->lock);

	dma_fence_put(rcu_replace_pointer(entity->last_scheduled, NULL, true));
	drm_sched_fair_stats_release(entity);
}
EXPORT_SYMBOL(drm_sched_entity_fini);

/**
 * drm_sched_entity_destroy - flush and tear down an entity
 * @entity: the entity
 *
 * drm_sched_entity_flush() with %MAX_WAIT_SCHED_ENTITY_Q_EMPTY, then
 * drm_sched_entity_fini().
 */
void drm_sched_entity_destroy(struct drm_sched_entity *entity)
{
	drm_sched_entity_flush(entity, MAX_WAIT_SCHED_ENTITY_Q_EMPTY);
	drm_sched_entity_fini(entity);
}
EXPORT_SYMBOL(drm_sched_entity_destroy);
