/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the scheduler's source files share with each other. Nothing here is
 * part of the driver interface.
 */
#ifndef _DRM_SCHED_INTERNAL_H_
#define _DRM_SCHED_INTERNAL_H_

#include <drm/gpu_scheduler.h>

/* A job pulled out of an entity queue, as an spsc_node. */
static inline struct drm_sched_job *drm_sched_node_to_job(struct spsc_node *node)
{
	return node ? container_of(node, struct drm_sched_job, queue_node) : NULL;
}

static inline struct drm_sched_job *
drm_sched_entity_head(struct drm_sched_entity *entity)
{
	return drm_sched_node_to_job(spsc_queue_peek(&entity->job_queue));
}

/* sched_main.c */
void drm_sched_wakeup(struct drm_gpu_scheduler *sched);
void drm_sched_queue_free(struct drm_gpu_scheduler *sched);
void drm_sched_job_done(struct drm_sched_job *job, int result);
void drm_sched_job_done_cb(struct dma_fence *f, struct dma_fence_cb *cb);
void drm_sched_cancel_job_now(struct drm_sched_job *job, int error);

/* sched_job.c */
bool drm_sched_job_is_armed(const struct drm_sched_job *job);

/* sched_deps.c */
void drm_sched_deps_init(struct drm_sched_job *job);
void drm_sched_deps_release(struct drm_sched_job *job);
bool drm_sched_deps_arm(struct drm_sched_job *job);
bool drm_sched_deps_resolved(struct drm_sched_job *job);
void drm_sched_deps_disarm(struct drm_sched_job *job);
void drm_sched_deps_cancel(struct drm_sched_job *job, struct dma_fence *prev,
			   int error);

/* sched_entity.c */
bool drm_sched_entity_is_ready(struct drm_sched_entity *entity);
struct drm_sched_job *drm_sched_entity_pop_job(struct drm_sched_entity *entity);
void drm_sched_entity_select_rq(struct drm_sched_entity *entity);
void drm_sched_entity_detach_locked(struct drm_sched_entity *entity,
				    struct drm_sched_rq *rq,
				    struct list_head *cancelled);

/* sched_rq.c */
void drm_sched_rq_init(struct drm_gpu_scheduler *sched, struct drm_sched_rq *rq);
bool drm_sched_rq_add_entity(struct drm_sched_rq *rq,
			     struct drm_sched_entity *entity);
void drm_sched_rq_remove_entity(struct drm_sched_rq *rq,
				struct drm_sched_entity *entity);
void drm_sched_rq_remove_entity_locked(struct drm_sched_rq *rq,
				       struct drm_sched_entity *entity);
void drm_sched_rq_requeue_locked(struct drm_sched_rq *rq,
				 struct drm_sched_entity *entity);
struct drm_sched_entity *drm_sched_select_entity(struct drm_gpu_scheduler *sched);

bool drm_sched_policy_known(int policy);
int drm_sched_policy_of(const struct drm_gpu_scheduler *sched);

/* sched_fair.c */
int drm_sched_fair_stats_create(struct drm_sched_entity *entity);
void drm_sched_fair_stats_release(struct drm_sched_entity *entity);
void drm_sched_fair_job_start(struct drm_sched_job *job,
			      struct drm_sched_entity *entity);
void drm_sched_fair_job_done(struct drm_sched_job *job);
void drm_sched_fair_job_release(struct drm_sched_job *job);
void drm_sched_fair_queue_locked(struct drm_sched_rq *rq,
				 struct drm_sched_entity *entity, bool rejoin);
void drm_sched_fair_remove_locked(struct drm_sched_rq *rq,
				  struct drm_sched_entity *entity);
struct drm_sched_entity *drm_sched_fair_first_ready(struct drm_sched_rq *rq);
void drm_sched_fair_restart(struct drm_gpu_scheduler *sched);
void drm_sched_fair_served(struct drm_sched_rq *rq,
			   struct drm_sched_entity *entity);

/* sched_fence.c */
int drm_sched_fence_slab_create(void);
void drm_sched_fence_slab_destroy(void);
struct drm_sched_timeline *drm_sched_timeline_create(const char *name);
struct drm_sched_timeline *drm_sched_timeline_get(struct drm_sched_timeline *tl);
void drm_sched_timeline_put(struct drm_sched_timeline *tl);
struct drm_sched_fence *drm_sched_fence_alloc(struct drm_sched_entity *entity,
					      void *owner, u64 drm_client_id);
void drm_sched_fence_init(struct drm_sched_fence *fence,
			  struct drm_sched_entity *entity,
			  struct drm_gpu_scheduler *sched,
			  struct drm_sched_timeline *timeline);
void drm_sched_fence_free(struct drm_sched_fence *fence);
void drm_sched_fence_scheduled(struct drm_sched_fence *fence,
			       struct dma_fence *parent);
void drm_sched_fence_finished(struct drm_sched_fence *fence, int result);

/* sched_tdr.c */
void drm_sched_tdr_init(struct drm_gpu_scheduler *sched);
void drm_sched_tdr_arm(struct drm_gpu_scheduler *sched);
void drm_sched_tdr_arm_locked(struct drm_gpu_scheduler *sched);
void drm_sched_tdr_progress_locked(struct drm_gpu_scheduler *sched);

#endif /* _DRM_SCHED_INTERNAL_H_ */
