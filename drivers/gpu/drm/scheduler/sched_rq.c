// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Run queues
 *
 * A scheduler has one run queue per priority and serves them strictly in
 * order: an entity of a lower priority runs only while no entity of a
 * higher priority has a job ready. A busy high priority client can
 * therefore starve lower ones; that is the contract drivers rely on.
 *
 * Within a run queue the policy decides: FIFO (the default) picks the
 * ready entity whose next job was pushed first, RR rotates through the
 * ready entities. The experimental fair policy instead weighs the entities
 * of all run queues against each other, see "Fair policy" below. A
 * scheduler follows the sched_policy module parameter unless its init args
 * name a policy. All three views are maintained all the time (the entity
 * list for RR, rbtrees keyed by the head job's push time for FIFO and by
 * the virtual runtime for fair), so the policy can change at any moment.
 *
 * When the chosen entity's next job does not fit in the free credits,
 * nothing of that priority or below runs until credits come back; skipping
 * it would let smaller jobs overtake it for ever.
 */

#include <linux/moduleparam.h>
#include <linux/rbtree.h>

#include "sched_internal.h"

int drm_sched_policy = DRM_SCHED_POLICY_FIFO;
EXPORT_SYMBOL(drm_sched_policy);

MODULE_PARM_DESC(sched_policy,
		 "How the scheduler picks its next entity: "
		 __stringify(DRM_SCHED_POLICY_RR) " = round robin, "
		 __stringify(DRM_SCHED_POLICY_FIFO) " = oldest job first (default), "
		 __stringify(DRM_SCHED_POLICY_FAIR) " = least GPU time by priority (experimental)");
module_param_named(sched_policy, drm_sched_policy, int, 0444);

void drm_sched_rq_init(struct drm_gpu_scheduler *sched, struct drm_sched_rq *rq)
{
	rq->sched = sched;
	spin_lock_init(&rq->lock);
	INIT_LIST_HEAD(&rq->entities);
	rq->rr_cursor = NULL;
	rq->fifo_tree = RB_ROOT_CACHED;
	rq->fair_tree = RB_ROOT_CACHED;
	rq->dead = false;
}

static bool drm_sched_fifo_less(struct rb_node *a, const struct rb_node *b)
{
	const struct drm_sched_entity *ea =
		rb_entry(a, struct drm_sched_entity, fifo_node);
	const struct drm_sched_entity *eb =
		rb_entry(b, struct drm_sched_entity, fifo_node);

	return ktime_before(ea->fifo_key, eb->fifo_key);
}

/* Whether @policy names one of the DRM_SCHED_POLICY_* values. */
bool drm_sched_policy_known(int policy)
{
	return policy == DRM_SCHED_POLICY_RR || policy == DRM_SCHED_POLICY_FIFO ||
	       policy == DRM_SCHED_POLICY_FAIR;
}

/*
 * The policy @sched follows now: its own, or else the module parameter,
 * where anything unknown means FIFO.
 */
int drm_sched_policy_of(const struct drm_gpu_scheduler *sched)
{
	int policy = sched->policy >= 0 ? sched->policy : READ_ONCE(drm_sched_policy);

	return drm_sched_policy_known(policy) ? policy : DRM_SCHED_POLICY_FIFO;
}

/* Takes @entity out of both ordered views of @rq. */
static void drm_sched_rq_unqueue_locked(struct drm_sched_rq *rq,
					struct drm_sched_entity *entity)
{
	if (!RB_EMPTY_NODE(&entity->fifo_node)) {
		rb_erase_cached(&entity->fifo_node, &rq->fifo_tree);
		RB_CLEAR_NODE(&entity->fifo_node);
	}
	drm_sched_fair_remove_locked(rq, entity);
}

/*
 * Puts @entity at the places its head job and its GPU time give it in the
 * FIFO and fair orders, or takes it out when its queue is empty. Caller
 * holds @rq's lock.
 */
void drm_sched_rq_requeue_locked(struct drm_sched_rq *rq,
				 struct drm_sched_entity *entity)
{
	struct drm_sched_job *head = drm_sched_entity_head(entity);
	bool rejoin = RB_EMPTY_NODE(&entity->fair_node);

	lockdep_assert_held(&rq->lock);

	drm_sched_rq_unqueue_locked(rq, entity);
	if (!head || list_empty(&entity->list))
		return;

	entity->fifo_key = head->submit_ts;
	rb_add_cached(&entity->fifo_node, &rq->fifo_tree, drm_sched_fifo_less);
	drm_sched_fair_queue_locked(rq, entity, rejoin);
}

/*
 * Puts @entity on @rq, or requeues it there. Returns false, changing
 * nothing, when @rq belongs to a scheduler being torn down.
 */
bool drm_sched_rq_add_entity(struct drm_sched_rq *rq,
			     struct drm_sched_entity *entity)
{
	bool added = false;

	spin_lock(&rq->lock);
	if (!rq->dead) {
		if (list_empty(&entity->list))
			list_add_tail(&entity->list, &rq->entities);
		drm_sched_rq_requeue_locked(rq, entity);
		added = true;
	}
	spin_unlock(&rq->lock);
	return added;
}

void drm_sched_rq_remove_entity_locked(struct drm_sched_rq *rq,
				       struct drm_sched_entity *entity)
{
	lockdep_assert_held(&rq->lock);

	if (!list_empty(&entity->list)) {
		if (rq->rr_cursor == entity)
			rq->rr_cursor = NULL;
		list_del_init(&entity->list);
	}
	drm_sched_rq_unqueue_locked(rq, entity);
}

void drm_sched_rq_remove_entity(struct drm_sched_rq *rq,
				struct drm_sched_entity *entity)
{
	spin_lock(&rq->lock);
	drm_sched_rq_remove_entity_locked(rq, entity);
	spin_unlock(&rq->lock);
}

static struct drm_sched_entity *drm_sched_rq_pick_fifo(struct drm_sched_rq *rq)
{
	struct rb_node *node;

	for (node = rb_first_cached(&rq->fifo_tree); node; node = rb_next(node)) {
		struct drm_sched_entity *entity =
			rb_entry(node, struct drm_sched_entity, fifo_node);

		if (drm_sched_entity_is_ready(entity))
			return entity;
	}
	return NULL;
}

static struct drm_sched_entity *drm_sched_rq_pick_rr(struct drm_sched_rq *rq)
{
	struct drm_sched_entity *start = rq->rr_cursor;
	struct drm_sched_entity *entity;

	/* Look after the cursor first, then wrap around to it. */
	if (start) {
		entity = start;
		list_for_each_entry_continue(entity, &rq->entities, list)
			if (drm_sched_entity_is_ready(entity))
				return entity;
	}
	list_for_each_entry(entity, &rq->entities, list) {
		if (drm_sched_entity_is_ready(entity))
			return entity;
		if (entity == start)
			break;
	}
	return NULL;
}

/* Whether the next job of @entity fits in the free credits right now. */
static bool drm_sched_fits(struct drm_gpu_scheduler *sched,
			   struct drm_sched_entity *entity)
{
	struct drm_sched_job *job = drm_sched_entity_head(entity);
	u32 used;

	if (!job)
		return false;

	if (sched->ops->update_job_credits)
		job->credits = sched->ops->update_job_credits(job);

	if (WARN_ON_ONCE(job->credits > sched->credit_limit))
		job->credits = sched->credit_limit;

	used = atomic_read(&sched->credit_count);
	return used + job->credits <= sched->credit_limit;
}

/*
 * Takes @entity, the choice on @rq, when its next job fits: marks it busy
 * (its &drm_sched_entity.entity_idle is reset) so that
 * drm_sched_entity_fini() waits for the run worker to be done with it.
 * Returns @entity, or NULL when the job does not fit. Caller holds @rq's
 * lock.
 */
static struct drm_sched_entity *drm_sched_rq_claim_locked(struct drm_sched_rq *rq,
							  struct drm_sched_entity *entity)
{
	lockdep_assert_held(&rq->lock);

	if (!drm_sched_fits(rq->sched, entity))
		return NULL;
	rq->rr_cursor = entity;
	reinit_completion(&entity->entity_idle);
	return entity;
}

/*
 * Searches for the fair choice again when the winner changed between the
 * two looks at its queue; after that many, the second look wins.
 */
#define DRM_SCHED_FAIR_MAX_RETRY	4

/*
 * The fair choice: the ready entity with the smallest key over all run
 * queues, the higher priority on a tie. The queues are looked at one lock at
 * a time; when the winner's queue, locked again, no longer has it first at
 * the same key (a push, a kill or a completion came in between), the
 * search starts over.
 */
static struct drm_sched_entity *drm_sched_select_fair(struct drm_gpu_scheduler *sched)
{
	unsigned int retries = 0;

	for (;;) {
		struct drm_sched_entity *entity, *pick = NULL, *taken = NULL;
		struct drm_sched_rq *best = NULL;
		s64 best_key = 0;
		u32 prio;

		for (prio = 0; prio < sched->num_rqs; prio++) {
			struct drm_sched_rq *rq = sched->sched_rq[prio];

			spin_lock(&rq->lock);
			entity = drm_sched_fair_first_ready(rq);
			if (entity && (!best || entity->fair_key < best_key)) {
				best = rq;
				pick = entity;
				best_key = entity->fair_key;
			}
			spin_unlock(&rq->lock);
		}
		if (!best)
			return NULL;

		spin_lock(&best->lock);
		entity = drm_sched_fair_first_ready(best);
		if (entity && (retries >= DRM_SCHED_FAIR_MAX_RETRY ||
			       (entity == pick && entity->fair_key == best_key))) {
			taken = drm_sched_rq_claim_locked(best, entity);
			if (taken)
				drm_sched_fair_served(best, taken);
			spin_unlock(&best->lock);
			return taken;
		}
		spin_unlock(&best->lock);
		retries++;
	}
}

/*
 * Chooses the entity whose job runs next and marks it busy. Returns NULL
 * when nothing can run now.
 */
struct drm_sched_entity *drm_sched_select_entity(struct drm_gpu_scheduler *sched)
{
	int policy = drm_sched_policy_of(sched);
	struct drm_sched_entity *entity, *found;
	u32 prio;

	if (policy == DRM_SCHED_POLICY_FAIR)
		return drm_sched_select_fair(sched);

	for (prio = 0; prio < sched->num_rqs; prio++) {
		struct drm_sched_rq *rq = sched->sched_rq[prio];

		spin_lock(&rq->lock);
		entity = policy == DRM_SCHED_POLICY_FIFO ?
			drm_sched_rq_pick_fifo(rq) : drm_sched_rq_pick_rr(rq);
		found = entity;
		if (entity)
			entity = drm_sched_rq_claim_locked(rq, entity);
		spin_unlock(&rq->lock);
		if (found)
			return entity;
	}
	return NULL;
}
