// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Scheduler fences
 *
 * Both fences of a job share one allocation and one spinlock. The finished
 * fence owns the initial reference of the scheduled one, so the allocation
 * lives until the last reference to either fence is gone; it is then freed
 * after an RCU grace period, as dma_fence requires.
 *
 * A fence can outlive the scheduler that created it (userspace keeps sync
 * files around), so the fence code never looks at the scheduler: the
 * timeline name lives in a small refcounted object of its own.
 */

#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sched_internal.h"

/*
 * struct drm_sched_timeline - a timeline name shared by a scheduler and the
 * fences it created; freed with the last of them.
 */
struct drm_sched_timeline {
	struct kref ref;
	char name[];
};

static struct kmem_cache *drm_sched_fence_cache;

int drm_sched_fence_slab_create(void)
{
	drm_sched_fence_cache = KMEM_CACHE(drm_sched_fence, SLAB_HWCACHE_ALIGN);
	return drm_sched_fence_cache ? 0 : -ENOMEM;
}

void drm_sched_fence_slab_destroy(void)
{
	rcu_barrier();
	kmem_cache_destroy(drm_sched_fence_cache);
}

struct drm_sched_timeline *drm_sched_timeline_create(const char *name)
{
	size_t len = strlen(name ?: "") + 1;
	struct drm_sched_timeline *tl;

	tl = kmalloc(struct_size(tl, name, len), GFP_KERNEL);
	if (!tl)
		return NULL;
	kref_init(&tl->ref);
	memcpy(tl->name, name ?: "", len);
	return tl;
}

static void drm_sched_timeline_release(struct kref *ref)
{
	kfree(container_of(ref, struct drm_sched_timeline, ref));
}

/* Another reference to @tl, which may be NULL. */
struct drm_sched_timeline *drm_sched_timeline_get(struct drm_sched_timeline *tl)
{
	if (tl)
		kref_get(&tl->ref);
	return tl;
}

void drm_sched_timeline_put(struct drm_sched_timeline *tl)
{
	if (tl)
		kref_put(&tl->ref, drm_sched_timeline_release);
}

static const char *drm_sched_fence_driver_name(struct dma_fence *f)
{
	return "drm_sched";
}

static const char *drm_sched_fence_timeline_name(struct dma_fence *f)
{
	struct drm_sched_fence *fence = to_drm_sched_fence(f);

	return fence->timeline ? fence->timeline->name : "unknown";
}

static void drm_sched_fence_rcu_free(struct rcu_head *head)
{
	struct dma_fence *f = container_of(head, struct dma_fence, rcu);
	struct drm_sched_fence *fence =
		container_of(f, struct drm_sched_fence, scheduled);

	drm_sched_timeline_put(fence->timeline);
	kmem_cache_free(drm_sched_fence_cache, fence);
}

/* The last reference to the scheduled fence went away: free everything. */
static void drm_sched_fence_release_scheduled(struct dma_fence *f)
{
	struct drm_sched_fence *fence =
		container_of(f, struct drm_sched_fence, scheduled);

	dma_fence_put(fence->parent);
	call_rcu(&f->rcu, drm_sched_fence_rcu_free);
}

/* The finished fence is gone; drop the reference it held on its sibling. */
static void drm_sched_fence_release_finished(struct dma_fence *f)
{
	struct drm_sched_fence *fence =
		container_of(f, struct drm_sched_fence, finished);

	dma_fence_put(&fence->scheduled);
}

static void drm_sched_fence_set_deadline(struct dma_fence *f, ktime_t deadline)
{
	struct drm_sched_fence *fence =
		container_of(f, struct drm_sched_fence, finished);
	struct dma_fence *parent = NULL;
	unsigned long flags;
	bool tighter;

	spin_lock_irqsave(&fence->lock, flags);
	/* Only a deadline earlier than the one known so far changes anything. */
	tighter = !test_bit(DRM_SCHED_FENCE_FLAG_HAS_DEADLINE_BIT, &f->flags) ||
		  ktime_before(deadline, fence->deadline);
	if (tighter) {
		fence->deadline = deadline;
		set_bit(DRM_SCHED_FENCE_FLAG_HAS_DEADLINE_BIT, &f->flags);
		parent = dma_fence_get(fence->parent);
	}
	spin_unlock_irqrestore(&fence->lock, flags);

	/* Once the job runs, the hardware fence is what has to hurry. */
	if (parent) {
		dma_fence_set_deadline(parent, deadline);
		dma_fence_put(parent);
	}
}

/* The two stages of a job's fence pair, as indices into the ops table. */
enum drm_sched_fence_stage {
	DRM_SCHED_STAGE_SCHEDULED,
	DRM_SCHED_STAGE_FINISHED,
	DRM_SCHED_STAGE_COUNT
};

static const struct dma_fence_ops drm_sched_stage_ops[DRM_SCHED_STAGE_COUNT] = {
	[DRM_SCHED_STAGE_SCHEDULED] = {
		.release = drm_sched_fence_release_scheduled,
		.get_timeline_name = drm_sched_fence_timeline_name,
		.get_driver_name = drm_sched_fence_driver_name,
	},
	[DRM_SCHED_STAGE_FINISHED] = {
		.set_deadline = drm_sched_fence_set_deadline,
		.release = drm_sched_fence_release_finished,
		.get_timeline_name = drm_sched_fence_timeline_name,
		.get_driver_name = drm_sched_fence_driver_name,
	},
};

/**
 * to_drm_sched_fence - the scheduler fence behind a dma_fence
 * @f: a fence, possibly not created by the scheduler
 *
 * Returns: the &drm_sched_fence that @f is the scheduled or the finished
 * fence of, or NULL when @f did not come from a DRM scheduler.
 */
struct drm_sched_fence *to_drm_sched_fence(struct dma_fence *f)
{
	const struct dma_fence_ops *ops = f->ops;

	if (ops == &drm_sched_stage_ops[DRM_SCHED_STAGE_FINISHED])
		return container_of(f, struct drm_sched_fence, finished);
	return ops == &drm_sched_stage_ops[DRM_SCHED_STAGE_SCHEDULED] ?
	       container_of(f, struct drm_sched_fence, scheduled) : NULL;
}
EXPORT_SYMBOL(to_drm_sched_fence);

struct drm_sched_fence *drm_sched_fence_alloc(struct drm_sched_entity *entity,
					      void *owner, u64 drm_client_id)
{
	struct drm_sched_fence *fence;

	fence = kmem_cache_zalloc(drm_sched_fence_cache, GFP_KERNEL);
	if (!fence)
		return NULL;

	spin_lock_init(&fence->lock);
	fence->owner = owner;
	fence->drm_client_id = drm_client_id;
	return fence;
}

/*
 * Gives both fences their context and sequence number: the job is armed.
 * The fences take over the caller's reference on @timeline (NULL without
 * a scheduler).
 */
void drm_sched_fence_init(struct drm_sched_fence *fence,
			  struct drm_sched_entity *entity,
			  struct drm_gpu_scheduler *sched,
			  struct drm_sched_timeline *timeline)
{
	unsigned int seqno = atomic_inc_return(&entity->fence_seq);

	fence->sched = sched;
	fence->timeline = timeline;

	dma_fence_init(&fence->scheduled,
		       &drm_sched_stage_ops[DRM_SCHED_STAGE_SCHEDULED],
		       &fence->lock, entity->fence_context, seqno);
	dma_fence_init(&fence->finished,
		       &drm_sched_stage_ops[DRM_SCHED_STAGE_FINISHED],
		       &fence->lock, entity->fence_context + 1, seqno);
}

/* Frees the fences of a job that was never armed. */
void drm_sched_fence_free(struct drm_sched_fence *fence)
{
	if (WARN_ON_ONCE(fence->scheduled.ops))
		return;
	kmem_cache_free(drm_sched_fence_cache, fence);
}

void drm_sched_fence_scheduled(struct drm_sched_fence *fence,
			       struct dma_fence *parent)
{
	struct dma_fence *old;
	bool forward = false;
	unsigned long flags;
	ktime_t deadline;

	if (parent) {
		spin_lock_irqsave(&fence->lock, flags);
		old = fence->parent;
		fence->parent = dma_fence_get(parent);
		if (test_bit(DRM_SCHED_FENCE_FLAG_HAS_DEADLINE_BIT,
			     &fence->finished.flags)) {
			forward = true;
			deadline = fence->deadline;
		}
		spin_unlock_irqrestore(&fence->lock, flags);

		dma_fence_put(old);
		if (forward)
			dma_fence_set_deadline(parent, deadline);
	}
	dma_fence_signal(&fence->scheduled);
}

void drm_sched_fence_finished(struct drm_sched_fence *fence, int result)
{
	if (result && !fence->finished.error)
		dma_fence_set_error(&fence->finished, result);
	dma_fence_signal(&fence->finished);
}
