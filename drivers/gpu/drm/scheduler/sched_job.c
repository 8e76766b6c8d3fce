// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The life of a job before it reaches the scheduler: init, arm, cleanup.
 *
 * drm_sched_job_init() can fail and leaves nothing to undo but a
 * drm_sched_job_cleanup(). drm_sched_job_arm() cannot fail: from then on the
 * job's fences have a place on the entity's timeline and the job must be
 * pushed. The scheduler hands it back through &drm_sched_backend_ops.free_job
 * when it is done, completed or cancelled.
 */

#include <linux/slab.h>

#include "sched_internal.h"

bool drm_sched_job_is_armed(const struct drm_sched_job *job)
{
	return job->s_fence && job->s_fence->finished.ops;
}

/**
 * drm_sched_job_init - prepare a job for an entity
 * @job: the job; every field is reset
 * @entity: the entity the job will be pushed to
 * @credits: ring space the job needs while it runs; must not be 0
 * @owner: cookie stored in &drm_sched_fence.owner
 * @drm_client_id: the submitting file's &drm_file.client_id
 *
 * After a failure @job holds nothing and drm_sched_job_cleanup() is a no-op
 * on it.
 *
 * Returns: 0 on success, -EINVAL when @credits is 0, -ENOENT when @entity
 * has no scheduler, -ENOMEM when the fences could not be allocated.
 */
int drm_sched_job_init(struct drm_sched_job *job,
		       struct drm_sched_entity *entity,
		       u32 credits, void *owner, u64 drm_client_id)
{
	memset(job, 0, sizeof(*job));
	INIT_LIST_HEAD(&job->list);
	drm_sched_deps_init(job);

	if (!credits) {
		pr_err("drm_sched: a job needs at least one credit\n");
		return -EINVAL;
	}
	if (!READ_ONCE(entity->rq)) {
		pr_err("drm_sched: the entity has no scheduler to run jobs on\n");
		return -ENOENT;
	}

	job->s_fence = drm_sched_fence_alloc(entity, owner, drm_client_id);
	if (!job->s_fence)
		return -ENOMEM;

	job->entity = entity;
	job->credits = credits;
	return 0;
}
EXPORT_SYMBOL(drm_sched_job_init);

/**
 * drm_sched_job_arm - commit to running a job
 * @job: a job that went through drm_sched_job_init()
 *
 * Chooses the scheduler (an idle entity may move to the least loaded one),
 * gives the job its id and its fences their sequence numbers. From here on
 * the fences may be published, and the job must be handed to
 * drm_sched_entity_push_job(); the same lock that orders sequence numbers
 * must cover both calls when several threads submit to one entity.
 *
 * Arming a job twice, or a job whose init failed, warns and does nothing.
 */
void drm_sched_job_arm(struct drm_sched_job *job)
{
	struct drm_sched_entity *entity = job->entity;
	struct drm_sched_timeline *timeline = NULL;
	struct drm_gpu_scheduler *sched = NULL;
	struct drm_sched_rq *rq;

	if (WARN_ON_ONCE(!entity || !job->s_fence))
		return;
	if (WARN_ON_ONCE(drm_sched_job_is_armed(job)))
		return;

	drm_sched_entity_select_rq(entity);

	/*
	 * drm_sched_fini() detaches the entity under its lock before it
	 * drops the scheduler's timeline: the reference is taken under the
	 * same lock, or a teardown right after it would leave none to take.
	 */
	spin_lock(&entity->lock);
	rq = entity->rq;
	if (rq) {
		sched = rq->sched;
		timeline = drm_sched_timeline_get(sched->timeline);
	}
	job->s_priority = entity->priority;
	spin_unlock(&entity->lock);

	job->sched = sched;
	job->ops = sched ? sched->ops : entity->ops;
	if (sched)
		job->id = atomic64_inc_return(&sched->job_id_count);
	drm_sched_fence_init(job->s_fence, entity, sched, timeline);
}
EXPORT_SYMBOL(drm_sched_job_arm);

/**
 * drm_sched_job_cleanup - release what drm_sched_job_init() set up
 * @job: the job
 *
 * Called from the driver's error path before the job was armed, or from
 * &drm_sched_backend_ops.free_job afterwards. Drops the dependencies and
 * the job's reference on its fences. Calling it twice warns.
 */
void drm_sched_job_cleanup(struct drm_sched_job *job)
{
	struct drm_sched_fence *s_fence = job->s_fence;

	if (WARN_ON_ONCE(job->cleaned_up))
		return;
	if (!s_fence)
		return;	/* drm_sched_job_init() failed: nothing to undo */
	job->cleaned_up = true;

	if (drm_sched_job_is_armed(job))
		dma_fence_put(&s_fence->finished);
	else
		drm_sched_fence_free(s_fence);
	job->s_fence = NULL;

	drm_sched_deps_release(job);
	drm_sched_fair_job_release(job);
}
EXPORT_SYMBOL(drm_sched_job_cleanup);
