// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Dependency tracking
 *
 * A job keeps at most one fence per fence context: fences of one context
 * signal in order, so waiting on the latest is waiting on all of them. The
 * set is a dense array of &struct drm_sched_dep plus an open-addressing hash
 * table from fence context to array slot, kept at most half full, so adding
 * a dependency costs O(1) amortised whatever the number already stored.
 * The dense array is mirrored into &drm_sched_job.dependencies for drivers
 * that inspect the fences.
 *
 * Nothing is waited on until drm_sched_entity_push_job(): then every
 * unsignalled dependency gets its callback at once and a counter tracks how
 * many are outstanding. The callback that brings the counter to zero makes
 * the job runnable, so a job with N dependencies costs N fence callbacks and
 * a single wake-up of the scheduler.
 *
 * The counter has a single owner, this file, and reaches its final value
 * exactly once. A job cancelled on a killed entity waits for one more
 * dependency, the job cancelled before it, and carries a flag in the
 * counter itself: whichever callback brings the counter down to the bare
 * flag queues the cancellation, and no callback ever sees both outcomes. A
 * callback that makes a live job runnable does not touch the job once the
 * counter dropped, since the run worker may free it at once.
 */

#include <linux/dma-resv.h>
#include <linux/hash.h>
#include <linux/slab.h>

#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>

#include "sched_internal.h"
#include "gpu_scheduler_trace.h"

#define DRM_SCHED_DEPS_MIN_CAPACITY	4
/* A set holds at most U32_MAX / 4 dependencies, far below this bit. */
#define DRM_SCHED_DEPS_CANCELLED	BIT(30)

void drm_sched_deps_init(struct drm_sched_job *job)
{
	xa_init(&job->dependencies);
}

static u32 drm_sched_deps_bucket(const struct drm_sched_dep_set *set, u64 context)
{
	return hash_64(context, 32) & (2 * set->capacity - 1);
}

/*
 * Finds the slot holding @context. When there is none, returns NULL and
 * points @empty at the hash entry where it would go.
 */
static struct drm_sched_dep *
drm_sched_deps_lookup(struct drm_sched_dep_set *set, u64 context, u32 **empty)
{
	u32 mask = 2 * set->capacity - 1;
	u32 pos;

	*empty = NULL;
	if (!set->capacity)
		return NULL;

	for (pos = drm_sched_deps_bucket(set, context);; pos = (pos + 1) & mask) {
		u32 entry = set->index[pos];

		if (!entry) {
			*empty = &set->index[pos];
			return NULL;
		}
		if (set->slots[entry - 1].context == context)
			return &set->slots[entry - 1];
	}
}

/* Doubles the capacity; the hash table is rebuilt in the new allocation. */
static int drm_sched_deps_grow(struct drm_sched_dep_set *set)
{
	u32 capacity = max_t(u32, set->capacity * 2, DRM_SCHED_DEPS_MIN_CAPACITY);
	struct drm_sched_dep *slots;
	u32 *index, i;

	if (capacity > U32_MAX / 4)
		return -E2BIG;

	slots = kvmalloc(capacity * sizeof(*slots) + 2 * capacity * sizeof(*index),
			 GFP_KERNEL);
	if (!slots)
		return -ENOMEM;

	index = (u32 *)(slots + capacity);
	memset(index, 0, 2 * capacity * sizeof(*index));
	if (set->count)
		memcpy(slots, set->slots, set->count * sizeof(*slots));

	kvfree(set->slots);
	set->slots = slots;
	set->index = index;
	set->capacity = capacity;

	for (i = 0; i < set->count; i++) {
		u32 mask = 2 * capacity - 1;
		u32 pos = drm_sched_deps_bucket(set, slots[i].context);

		while (index[pos])
			pos = (pos + 1) & mask;
		index[pos] = i + 1;
	}
	return 0;
}

/*
 * Stores @fence in @job's set unless it is not worth waiting for. With
 * @own the caller's reference is handed over: kept with the fence or
 * dropped. Otherwise it is borrowed and the set takes its own when it keeps
 * the fence, so walking a reservation object costs no reference churn.
 */
static int drm_sched_deps_insert(struct drm_sched_job *job,
				 struct dma_fence *fence, bool own)
{
	struct drm_sched_dep_set *set = &job->deps;
	const struct drm_sched_entity *entity = job->entity;
	struct drm_sched_dep *dep;
	u32 *empty;
	int ret = 0;

	/* Own entity: ordered behind us already. Signalled: nothing to wait. */
	if ((entity && fence->context - entity->fence_context < 2) ||
	    dma_fence_is_signaled(fence))
		goto drop;

	dep = drm_sched_deps_lookup(set, fence->context, &empty);
	if (dep) {
		if (!dma_fence_is_later(fence, dep->fence))
			goto drop;
		xa_store(&job->dependencies, dep - set->slots, fence, GFP_KERNEL);
		dma_fence_put(dep->fence);
		dep->fence = own ? fence : dma_fence_get(fence);
		return 0;
	}

	if (set->count == set->capacity) {
		ret = drm_sched_deps_grow(set);
		if (ret)
			goto drop;
		drm_sched_deps_lookup(set, fence->context, &empty);
	}

	ret = xa_err(xa_store(&job->dependencies, set->count, fence, GFP_KERNEL));
	if (ret)
		goto drop;

	set->slots[set->count] = (struct drm_sched_dep) {
		.fence = own ? fence : dma_fence_get(fence),
		.context = fence->context,
		.job = job,
	};
	*empty = ++set->count;
	return 0;

drop:
	if (own)
		dma_fence_put(fence);
	return ret;
}

/**
 * drm_sched_job_add_dependency - make a job wait for a fence
 * @job: a job between drm_sched_job_init() and drm_sched_entity_push_job()
 * @fence: the fence to wait for; may be NULL
 *
 * The reference to @fence is always consumed, on failure too.
 *
 * @fence is dropped at once when it already signalled, or when it is the
 * scheduled or finished fence of an earlier job of @job's own entity (those
 * jobs run before @job anyway). Otherwise at most one fence per fence
 * context is kept: the later of the stored and the new fence. The cost does
 * not depend on how many dependencies the job already has.
 *
 * An error of a dependency fence is not passed on: the dependency counts as
 * resolved and @job runs normally. A driver that wants to skip work after a
 * failed dependency checks the fence itself.
 *
 * Returns: 0 on success, -ENOMEM when the set could not grow, -EBUSY (with
 * a warning) when @job was already pushed.
 */
int drm_sched_job_add_dependency(struct drm_sched_job *job,
				 struct dma_fence *fence)
{
	if (!fence)
		return 0;
	if (WARN_ON_ONCE(job->deps.armed)) {
		dma_fence_put(fence);
		return -EBUSY;
	}
	return drm_sched_deps_insert(job, fence, true);
}
EXPORT_SYMBOL(drm_sched_job_add_dependency);

/**
 * drm_sched_job_add_syncobj_dependency - make a job wait for a syncobj
 * @job: a job between drm_sched_job_init() and drm_sched_entity_push_job()
 * @file: the file the syncobj handle belongs to
 * @handle: the syncobj handle
 * @point: timeline point, 0 for a binary syncobj
 *
 * Returns: 0 on success, -ENOENT when @handle names no syncobj, -EINVAL when
 * the syncobj (or its @point) has no fence, or an error of
 * drm_sched_job_add_dependency().
 */
int drm_sched_job_add_syncobj_dependency(struct drm_sched_job *job,
					 struct drm_file *file,
					 u32 handle, u32 point)
{
	struct dma_fence *fence = NULL;
	int ret = drm_syncobj_find_fence(file, handle, point, 0, &fence);

	/* The lookup hands us a reference, which the add consumes. */
	return ret ?: drm_sched_job_add_dependency(job, fence);
}
EXPORT_SYMBOL(drm_sched_job_add_syncobj_dependency);

/**
 * drm_sched_job_add_resv_dependencies - make a job wait for a reservation
 * @job: a job between drm_sched_job_init() and drm_sched_entity_push_job()
 * @resv: the reservation object; the caller must hold its lock
 * @usage: which fences of @resv to wait for
 *
 * The fences are walked in place under the caller's lock, without copying
 * them out first. Calling this without holding @resv's lock is a bug that
 * lockdep reports; when @resv is not locked by anybody the call also warns
 * and fails without touching @job.
 *
 * Returns: 0 on success, -EINVAL when @resv is not locked, -EBUSY (with a
 * warning) when @job was already pushed, or -ENOMEM when the set could
 * not grow.
 */
int drm_sched_job_add_resv_dependencies(struct drm_sched_job *job, struct dma_resv *resv,
					enum dma_resv_usage usage)
{
	struct dma_fence *fence;
	struct dma_resv_iter cursor;
	int ret = 0;

	if (WARN_ON_ONCE(!dma_resv_is_locked(resv)))
		return -EINVAL;
	dma_resv_assert_held(resv);
	if (WARN_ON_ONCE(job->deps.armed))
		return -EBUSY;

	/* The lock keeps every fence alive while we look at it. */
	dma_resv_for_each_fence(&cursor, resv, usage, fence) {
		ret = drm_sched_deps_insert(job, fence, false);
		if (ret)
			break;
	}
	return ret;
}
EXPORT_SYMBOL(drm_sched_job_add_resv_dependencies);

/**
 * drm_sched_job_add_implicit_dependencies - wait for a GEM object's users
 * @job: a job between drm_sched_job_init() and drm_sched_entity_push_job()
 * @obj: the object; the caller must hold its reservation lock
 * @write: @job writes @obj, so it waits for readers as well as writers
 *
 * Returns: as drm_sched_job_add_resv_dependencies().
 */
int drm_sched_job_add_implicit_dependencies(struct drm_sched_job *job,
					    struct drm_gem_object *obj,
					    bool write)
{
	enum dma_resv_usage usage = dma_resv_usage_rw(write);

	return drm_sched_job_add_resv_dependencies(job, obj->resv, usage);
}
EXPORT_SYMBOL(drm_sched_job_add_implicit_dependencies);

/* Cancellation of one job, in process context. */
static void drm_sched_deps_cancel_work(struct work_struct *work)
{
	struct drm_sched_job *job = container_of(work, struct drm_sched_job, work);

	drm_sched_cancel_job_now(job, job->cancel_error);
}

/* One outstanding dependency of @job signalled. */
static void drm_sched_deps_put(struct drm_sched_job *job)
{
	/* Read first: once the count is zero the job may run and be freed. */
	struct drm_gpu_scheduler *sched = READ_ONCE(job->sched);
	int left = atomic_dec_return(&job->deps.unresolved);

	if (left == DRM_SCHED_DEPS_CANCELLED) {
		/* @work shares memory with finish_cb, which is done with. */
		INIT_WORK(&job->work, drm_sched_deps_cancel_work);
		schedule_work(&job->work);
	} else if (!left && sched) {
		drm_sched_wakeup(sched);
	}
}

static void drm_sched_dep_signalled(struct dma_fence *f, struct dma_fence_cb *cb)
{
	drm_sched_deps_put(container_of(cb, struct drm_sched_dep, cb)->job);
}

static void drm_sched_deps_prev_signalled(struct dma_fence *f,
					  struct dma_fence_cb *cb)
{
	drm_sched_deps_put(container_of(cb, struct drm_sched_job, finish_cb));
}

/**
 * drm_sched_deps_cancel - cancel a job once it has nothing left to wait for
 * @job: a pushed job that no run queue holds any more
 * @prev: one more fence to wait for (the job cancelled before @job), or NULL
 * @error: what the job's fences signal with
 *
 * @job's fences signal with @error, and the driver gets @job back through
 * free_job(), from a work item, after @job's own dependencies and @prev
 * signalled. Whether the counter already reached zero or not, it reaches
 * its cancelled end exactly once.
 */
void drm_sched_deps_cancel(struct drm_sched_job *job, struct dma_fence *prev,
			   int error)
{
	struct drm_sched_dep_set *set = &job->deps;
	int old = atomic_read(&set->unresolved);

	if (WARN_ON_ONCE(!set->armed || (old & DRM_SCHED_DEPS_CANCELLED)))
		return;

	job->cancel_error = error;
	/* Hold one count while @prev is added; the flag picks the outcome. */
	while (!atomic_try_cmpxchg(&set->unresolved, &old,
				   (old + 1) | DRM_SCHED_DEPS_CANCELLED))
		;

	if (prev) {
		atomic_inc(&set->unresolved);
		if (dma_fence_add_callback(prev, &job->finish_cb,
					   drm_sched_deps_prev_signalled))
			atomic_dec(&set->unresolved);
	}
	drm_sched_deps_put(job);
}

/*
 * What a dependency really waits for: a finished fence of the scheduler the
 * job runs on only needs its job to be on the hardware, whose ring keeps
 * the order, unless the fence asks otherwise or already failed.
 */
static struct dma_fence *drm_sched_dep_wait_target(struct drm_sched_job *job,
						   struct dma_fence *fence)
{
	struct drm_sched_fence *s_fence = to_drm_sched_fence(fence);

	if (s_fence && fence == &s_fence->finished && job->sched &&
	    s_fence->sched == job->sched && !fence->error &&
	    !test_bit(DRM_SCHED_FENCE_DONT_PIPELINE, &fence->flags))
		return dma_fence_get(&s_fence->scheduled);
	return fence;
}

/*
 * Installs a callback on every stored dependency. Returns true when none is
 * outstanding; otherwise the last callback wakes the scheduler up.
 */
bool drm_sched_deps_arm(struct drm_sched_job *job)
{
	struct drm_sched_dep_set *set = &job->deps;
	u32 i;

	atomic_set(&set->unresolved, 1);
	set->armed = true;

	for (i = 0; i < set->count; i++) {
		struct drm_sched_dep *dep = &set->slots[i];

		trace_drm_sched_job_add_dep(job, dep->fence);
		dep->waited = drm_sched_dep_wait_target(job, dep->fence);
		atomic_inc(&set->unresolved);
		if (dma_fence_add_callback(dep->waited, &dep->cb,
					   drm_sched_dep_signalled))
			atomic_dec(&set->unresolved);
		else
			trace_drm_sched_job_unschedulable(job, dep->fence);
	}

	return atomic_dec_and_test(&set->unresolved);
}

bool drm_sched_deps_resolved(struct drm_sched_job *job)
{
	return !job->deps.armed || !atomic_read(&job->deps.unresolved);
}

/*
 * Removes the callbacks that did not run yet. Afterwards no dependency
 * callback of @job runs any more.
 */
void drm_sched_deps_disarm(struct drm_sched_job *job)
{
	struct drm_sched_dep_set *set = &job->deps;
	u32 i;

	if (!set->armed)
		return;

	for (i = 0; i < set->count; i++)
		dma_fence_remove_callback(set->slots[i].waited, &set->slots[i].cb);
}

/* Drops every stored fence; part of drm_sched_job_cleanup(). */
void drm_sched_deps_release(struct drm_sched_job *job)
{
	struct drm_sched_dep_set *set = &job->deps;
	u32 i;

	for (i = 0; i < set->count; i++) {
		if (set->slots[i].waited && set->slots[i].waited != set->slots[i].fence)
			dma_fence_put(set->slots[i].waited);
		dma_fence_put(set->slots[i].fence);
	}
	kvfree(set->slots);
	memset(set, 0, sizeof(*set));
	xa_destroy(&job->dependencies);
}
