// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Fair policy
 *
 * %DRM_SCHED_POLICY_FAIR is experimental and only used when asked for,
 * through the sched_policy module parameter or &drm_sched_init_args.policy
 * with &drm_sched_init_args.override_policy set. It orders busy entities by the GPU time they
 * used rather than by push time (FIFO) or by turn (RR).
 *
 * Every entity has a virtual runtime. When one of its jobs completes, the
 * time the job held the hardware is added to it, shifted left by the
 * priority the job was armed at (clamped to the scheduler's run queues): a
 * KERNEL job counts once, a HIGH job twice, a NORMAL job four times and a
 * LOW job eight times. Among the ready entities
 * of all run queues, the one with the smallest virtual runtime goes next.
 * Two busy entities therefore share the GPU in the ratio of their weights,
 * whatever the length or the credits of their jobs, each priority step
 * halving the share, and no entity starves, whatever the mix.
 *
 * A job holds the hardware from the later of the moment it left its entity
 * and the previous completion on its scheduler, until its own completion. On a ring that runs
 * one job at a time this is the job's run time, and the charges of all jobs
 * add up to the time the ring was busy. The time between drm_sched_stop()
 * and drm_sched_start() around a reset is charged to nobody.
 *
 * Every scheduler keeps a virtual clock: the virtual runtime it served
 * last, which never goes backwards. An entity whose queue ran empty rejoins
 * at that clock at the earliest, so being idle earns no credit, and so does
 * an entity whose head job waited on a dependency while the clock moved on;
 * an entity that moved to another scheduler starts at that scheduler's
 * clock. At equal virtual runtime the higher priority goes first: a higher
 * priority entity that becomes busy runs before the lower ones that have no
 * lead. That is what is left of FIFO's and RR's strict priority bands.
 *
 * A job is charged in advance when it leaves its entity, with the time the
 * entity's previous job took (the scheduler's last completed job for an
 * entity that has none yet), and the difference to its real time when it
 * completes; a job that never completes gives its advance back. So an
 * entity with a job on the hardware already queues behind others by about
 * that job, and does not take a deep ring for itself before its first
 * completion comes back. When an entity's charge changed since it was
 * queued, it is moved to its new place the next time it comes up for a
 * pick; entities at equal places take turns.
 *
 * The figures live in a &struct drm_sched_entity_stats that the entity and
 * each of its jobs on the hardware hold a reference on, since a completing
 * job may outlive its entity. They are atomics: completions charge them
 * from any context, IRQ included, without a lock.
 */

#include <kunit/visibility.h>
#include <linux/kref.h>
#include <linux/slab.h>

#include "sched_internal.h"
#include "sched_kunit.h"

/**
 * struct drm_sched_entity_stats - GPU time used by one entity
 * @refcount: one reference for the entity, one per job charging it
 * @vruntime: GPU time in ns, each job's shifted by its priority, including
 * the advance charges of the jobs on the hardware
 * @runtime: GPU time in ns as measured
 * @last_ns: the GPU time of the entity's last completed job, the advance
 * charge of its next one
 * @on_hw: jobs charging this record that did not complete yet
 * @sched: the scheduler whose virtual clock @vruntime follows
 */
struct drm_sched_entity_stats {
	struct kref refcount;
	atomic64_t vruntime;
	atomic64_t runtime;
	atomic64_t last_ns;
	atomic_t on_hw;
	struct drm_gpu_scheduler *sched;
};

static ktime_t drm_sched_fair_now(struct drm_gpu_scheduler *sched)
{
	return sched->clock ? sched->clock(sched) : ktime_get();
}

/*
 * Raises @v to @to unless it is already there; returns the result and, in
 * @before, the value it replaced.
 */
static s64 drm_sched_fair_raise_from(atomic64_t *v, s64 to, s64 *before)
{
	s64 old = atomic64_read(v);

	do {
		*before = old;
		if (old >= to)
			return old;
	} while (!atomic64_try_cmpxchg(v, &old, to));
	return to;
}

static s64 drm_sched_fair_raise(atomic64_t *v, s64 to)
{
	s64 before;

	return drm_sched_fair_raise_from(v, to, &before);
}

int drm_sched_fair_stats_create(struct drm_sched_entity *entity)
{
	struct drm_sched_entity_stats *stats = kzalloc(sizeof(*stats), GFP_KERNEL);

	if (!stats)
		return -ENOMEM;
	kref_init(&stats->refcount);
	entity->stats = stats;
	return 0;
}

static void drm_sched_fair_stats_free(struct kref *kref)
{
	kfree(container_of(kref, struct drm_sched_entity_stats, refcount));
}

/* Drops the entity's reference; safe to call more than once. */
void drm_sched_fair_stats_release(struct drm_sched_entity *entity)
{
	struct drm_sched_entity_stats *stats = xchg(&entity->stats, NULL);

	if (stats)
		kref_put(&stats->refcount, drm_sched_fair_stats_free);
}

/*
 * @job leaves @entity for the hardware, in the run worker, before the
 * entity is queued again: under the fair policy it takes a reference on the
 * entity's figures, to charge them when it completes, and charges them in
 * advance with what the entity's last job took.
 */
void drm_sched_fair_job_start(struct drm_sched_job *job,
			      struct drm_sched_entity *entity)
{
	struct drm_sched_entity_stats *stats = entity->stats;
	struct drm_gpu_scheduler *sched = job->sched;

	if (drm_sched_policy_of(sched) != DRM_SCHED_POLICY_FAIR || !stats ||
	    job->fair_stats)
		return;

	kref_get(&stats->refcount);
	job->fair_stats = stats;
	job->fair_shift = min_t(u32, job->s_priority, sched->num_rqs - 1);
	atomic_inc(&stats->on_hw);
	job->fair_advance = atomic64_read(&stats->last_ns) ?:
			    atomic64_read(&sched->fair_last_ns);
	atomic64_add(job->fair_advance << job->fair_shift, &stats->vruntime);
	job->fair_start = ktime_to_ns(drm_sched_fair_now(sched));
}

/* The hardware completed @job: charge the time it held the hardware. */
void drm_sched_fair_job_done(struct drm_sched_job *job)
{
	struct drm_sched_entity_stats *stats = job->fair_stats;
	struct drm_gpu_scheduler *sched = job->sched;
	s64 now, start, busy_until, used;

	/* Charged once, even when the job is handed to the hardware again. */
	if (!stats || atomic_xchg(&job->fair_settled, 1))
		return;

	now = ktime_to_ns(drm_sched_fair_now(sched));
	/* What the last completion before this one left, in one step. */
	drm_sched_fair_raise_from(&sched->fair_busy_until, now, &busy_until);
	start = max(job->fair_start, busy_until);
	used = max(now - start, 0LL);

	atomic64_add(used, &stats->runtime);
	atomic64_add((used - job->fair_advance) * (1 << job->fair_shift),
		     &stats->vruntime);
	atomic64_set(&stats->last_ns, used);
	atomic64_set(&sched->fair_last_ns, used);
	atomic_dec(&stats->on_hw);
}

void drm_sched_fair_job_release(struct drm_sched_job *job)
{
	struct drm_sched_entity_stats *stats = job->fair_stats;

	if (!stats)
		return;
	/* Cancelled, or detached by a reset: off the hardware, never charged. */
	if (!atomic_xchg(&job->fair_settled, 1)) {
		atomic64_sub(job->fair_advance * (1 << job->fair_shift),
			     &stats->vruntime);
		atomic_dec(&stats->on_hw);
	}
	job->fair_stats = NULL;
	kref_put(&stats->refcount, drm_sched_fair_stats_free);
}

static bool drm_sched_fair_less(struct rb_node *a, const struct rb_node *b)
{
	const struct drm_sched_entity *ea =
		rb_entry(a, struct drm_sched_entity, fair_node);
	const struct drm_sched_entity *eb =
		rb_entry(b, struct drm_sched_entity, fair_node);

	return ea->fair_key < eb->fair_key;
}

void drm_sched_fair_remove_locked(struct drm_sched_rq *rq,
				  struct drm_sched_entity *entity)
{
	lockdep_assert_held(&rq->lock);

	if (!RB_EMPTY_NODE(&entity->fair_node)) {
		rb_erase_cached(&entity->fair_node, &rq->fair_tree);
		RB_CLEAR_NODE(&entity->fair_node);
	}
}

/*
 * Puts @entity, which has a job queued, on @rq's fair tree at its virtual
 * runtime; @rejoin says its queue was empty. If it also had nothing on the
 * hardware it was idle, and starts no earlier than the scheduler's clock.
 * Equal keys queue behind each other, which makes entities at the same
 * place take turns. Caller holds @rq's lock and took @entity off the tree.
 */
void drm_sched_fair_queue_locked(struct drm_sched_rq *rq,
				 struct drm_sched_entity *entity, bool rejoin)
{
	struct drm_sched_entity_stats *stats = entity->stats;
	struct drm_gpu_scheduler *sched = rq->sched;
	s64 clock = atomic64_read(&sched->fair_clock);
	s64 key = 0;

	lockdep_assert_held(&rq->lock);

	if (stats) {
		if (READ_ONCE(stats->sched) != sched && !atomic_read(&stats->on_hw)) {
			/* Idle when it moved: nothing of it runs elsewhere. */
			WRITE_ONCE(stats->sched, sched);
			atomic64_set(&stats->vruntime, clock);
		}
		if (rejoin && !atomic_read(&stats->on_hw))
			key = drm_sched_fair_raise(&stats->vruntime, clock);
		else
			key = atomic64_read(&stats->vruntime);
	}
	entity->fair_key = key;
	rb_add_cached(&entity->fair_node, &rq->fair_tree, drm_sched_fair_less);
}

/*
 * Moves @entity to where its charge puts it now, and no earlier than the
 * clock: an entity behind it was not ready while the clock moved on, and
 * waiting earns nothing. True when it moved.
 */
static bool drm_sched_fair_rekey_locked(struct drm_sched_rq *rq,
					struct drm_sched_entity *entity)
{
	s64 clock = atomic64_read(&rq->sched->fair_clock);
	s64 now = entity->stats ?
		  drm_sched_fair_raise(&entity->stats->vruntime, clock) : clock;

	if (now == entity->fair_key)
		return false;

	rb_erase_cached(&entity->fair_node, &rq->fair_tree);
	entity->fair_key = now;
	rb_add_cached(&entity->fair_node, &rq->fair_tree, drm_sched_fair_less);
	return true;
}

/*
 * Moves of stale entities one search makes at most, so that completions
 * charging all the time cannot keep it going.
 */
#define DRM_SCHED_FAIR_MAX_REKEY	8

/*
 * The ready entity of @rq with the smallest key, after moving the ones on
 * the way whose charge changed. Caller holds @rq's lock.
 */
struct drm_sched_entity *drm_sched_fair_first_ready(struct drm_sched_rq *rq)
{
	unsigned int moves = 0;
	struct rb_node *node;

	lockdep_assert_held(&rq->lock);

restart:
	for (node = rb_first_cached(&rq->fair_tree); node; node = rb_next(node)) {
		struct drm_sched_entity *entity =
			rb_entry(node, struct drm_sched_entity, fair_node);

		if (!drm_sched_entity_is_ready(entity))
			continue;
		if (moves < DRM_SCHED_FAIR_MAX_REKEY &&
		    drm_sched_fair_rekey_locked(rq, entity)) {
			moves++;
			goto restart;
		}
		return entity;
	}
	return NULL;
}

/*
 * The run worker took @entity from @rq: move the clock up to its place.
 * Caller holds @rq's lock.
 */
void drm_sched_fair_served(struct drm_sched_rq *rq,
			   struct drm_sched_entity *entity)
{
	lockdep_assert_held(&rq->lock);
	drm_sched_fair_raise(&rq->sched->fair_clock, entity->fair_key);
}

/*
 * drm_sched_start() brought the hardware back after a reset: the time it
 * was stopped is nobody's GPU time, so the next completion charges only
 * from now on.
 */
void drm_sched_fair_restart(struct drm_gpu_scheduler *sched)
{
	drm_sched_fair_raise(&sched->fair_busy_until,
			     ktime_to_ns(drm_sched_fair_now(sched)));
}

/**
 * drm_sched_set_clock - replace the time source of the fair policy
 * @sched: a scheduler with nothing on the hardware
 * @clock: returns the current time; NULL restores ktime_get()
 *
 * For the KUnit suites, which run the fake hardware on a clock of their
 * own so that the GPU time they give each job is the time charged.
 */
void drm_sched_set_clock(struct drm_gpu_scheduler *sched,
			 ktime_t (*clock)(struct drm_gpu_scheduler *sched))
{
	sched->clock = clock;
	atomic64_set(&sched->fair_busy_until, 0);
}
EXPORT_SYMBOL_IF_KUNIT(drm_sched_set_clock);

/**
 * drm_sched_entity_runtime - GPU time charged to an entity
 * @entity: an initialised entity
 * @vruntime: where to store its virtual runtime, may be NULL
 *
 * For the KUnit suites.
 *
 * Returns: the GPU time in ns the fair policy charged to @entity.
 */
u64 drm_sched_entity_runtime(struct drm_sched_entity *entity, u64 *vruntime)
{
	struct drm_sched_entity_stats *stats = entity->stats;

	if (vruntime)
		*vruntime = stats ? atomic64_read(&stats->vruntime) : 0;
	return stats ? atomic64_read(&stats->runtime) : 0;
}
EXPORT_SYMBOL_IF_KUNIT(drm_sched_entity_runtime);
